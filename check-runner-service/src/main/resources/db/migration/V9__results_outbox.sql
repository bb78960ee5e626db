-- The transactional outbox of check.results (bandwatch-platform, io.bandwatch.platform.outbox; the one shape of
-- inventory V3/V7 and alert V5/V8): a finished run's CheckResult is appended here in the transaction that records
-- the run and releases its claim, and the relay publishes committed rows. So a run is recorded and published
-- together or not at all (exactly one result per check run, README "Results").
CREATE TABLE outbox (
    id           BIGSERIAL    PRIMARY KEY,
    event_id     UUID         NOT NULL,
    topic        VARCHAR(128) NOT NULL,
    event_key    VARCHAR(255) NOT NULL,
    event_type   VARCHAR(128) NOT NULL,
    payload      TEXT,                      -- the event JSON as EventJson wrote it; NULL is a tombstone
    event_time   TIMESTAMPTZ  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at      TIMESTAMPTZ,
    -- the W3C traceparent of the run's span ("check run"), sent as the record's traceparent header
    trace_parent VARCHAR(256)
);
-- the relay reads unsent rows in id order
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
-- sent rows are pruned after bandwatch.outbox.retention
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
