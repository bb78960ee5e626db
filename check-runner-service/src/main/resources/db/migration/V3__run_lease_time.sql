-- When the run's server lease was taken (the lease covers [leased_at, finished_at]).
ALTER TABLE runs ADD COLUMN leased_at TIMESTAMPTZ;
