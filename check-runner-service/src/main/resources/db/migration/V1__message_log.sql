-- Consumers are idempotent by event id: an event is processed in the same transaction that records
-- its id here, so a redelivered or replayed event changes nothing.
CREATE TABLE message_log (
    event_id      UUID        PRIMARY KEY,
    topic         VARCHAR(128) NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
