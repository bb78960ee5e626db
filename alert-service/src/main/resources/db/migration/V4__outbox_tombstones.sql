-- A null payload is a tombstone: the relay publishes the key with a null value (devices.health is compacted, so
-- a deleted device's health disappears from the topic).
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
