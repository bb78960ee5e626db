-- The claim of due checks is one statement: the next run of an interval schedule is computed in SQL from these
-- columns (interval and random slip in ms, from the schedule JSON), that of a cron schedule from the nominal time
-- the replica passes for it. Requests and takeovers are looked up through their own small partial indexes instead
-- of a filter over every row of checks_due.
ALTER TABLE checks ADD COLUMN interval_ms BIGINT, ADD COLUMN slip_ms BIGINT NOT NULL DEFAULT 0;
UPDATE checks SET
    interval_ms = (extract(epoch FROM (schedule::jsonb ->> 'interval')::interval) * 1000)::bigint,
    slip_ms = coalesce((extract(epoch FROM (schedule::jsonb ->> 'random_slip')::interval) * 1000)::bigint, 0);
CREATE INDEX checks_requested ON checks (next_run_at) WHERE request_id IS NOT NULL AND running_by IS NULL;
CREATE INDEX checks_claimed ON checks (heartbeat_at) WHERE running_by IS NOT NULL;
