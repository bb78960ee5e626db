-- Transactional outbox: every change to a device, iperf3 server or check writes its snapshot event
-- here in the same transaction as the change; the relay publishes rows in id order per key.
CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    event_id      UUID         NOT NULL UNIQUE,
    topic         VARCHAR(128) NOT NULL,
    event_key     VARCHAR(64)  NOT NULL,
    event_type    VARCHAR(128) NOT NULL,
    payload       JSONB,                      -- NULL is a tombstone
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at       TIMESTAMPTZ
);
CREATE INDEX outbox_event_unsent ON outbox_event (id) WHERE sent_at IS NULL;
