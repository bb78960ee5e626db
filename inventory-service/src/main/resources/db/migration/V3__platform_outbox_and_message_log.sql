-- The platform's one outbox and message-log shape (bandwatch-platform, io.bandwatch.platform.outbox/messaging).
-- Unsent rows stay and are relayed by the platform relay; ids and their sequence are kept.
--
-- outbox (id BIGSERIAL, event_id UUID, topic, event_key TEXT form of the key, event_type = ce_type,
--         payload TEXT (the event JSON as written; NULL = tombstone), event_time = ce_time, created_at, sent_at)
ALTER TABLE outbox_event RENAME TO outbox;
ALTER INDEX outbox_event_pkey RENAME TO outbox_pkey;
ALTER INDEX outbox_event_unsent RENAME TO outbox_unsent;
ALTER SEQUENCE outbox_event_id_seq RENAME TO outbox_id_seq;
-- a tombstone's id is random and consumers deduplicate by ce_id: uniqueness is not the table's job
ALTER TABLE outbox DROP CONSTRAINT outbox_event_event_id_key;
ALTER TABLE outbox ALTER COLUMN event_key TYPE VARCHAR(255);
-- JSONB re-ordered the keys of every event; TEXT keeps the bytes the writer produced
ALTER TABLE outbox ALTER COLUMN payload TYPE TEXT USING payload::text;
ALTER TABLE outbox ADD COLUMN event_time TIMESTAMPTZ;
UPDATE outbox SET event_time = created_at;
ALTER TABLE outbox ALTER COLUMN event_time SET NOT NULL;
-- sent rows are pruned after bandwatch.outbox.retention
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- message_log (event_id UUID PRIMARY KEY, topic, processed_at): as in the runner and alert
ALTER TABLE message_log RENAME COLUMN received_at TO processed_at;
ALTER TABLE message_log ADD COLUMN topic VARCHAR(128) NOT NULL DEFAULT 'devices.health';
ALTER TABLE message_log ALTER COLUMN topic DROP DEFAULT;
