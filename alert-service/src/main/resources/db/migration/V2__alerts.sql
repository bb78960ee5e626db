-- Projections of inventory's compacted topics (names for messages, organization for scoping).
CREATE TABLE device (
    id               UUID         PRIMARY KEY,
    organization_id  UUID         NOT NULL,
    name             VARCHAR(255) NOT NULL,
    version          BIGINT       NOT NULL
);

CREATE TABLE monitored_check (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    device_id        UUID        NOT NULL,
    type             VARCHAR(16) NOT NULL,
    version          BIGINT      NOT NULL,
    -- kept after the tombstone so that a late result of a deleted check does not bring its settings back
    deleted          BOOLEAN     NOT NULL DEFAULT false
);
CREATE INDEX monitored_check_device ON monitored_check (device_id);

-- Per-organization defaults, replacing the built-in ones for a check type when any exists for it.
CREATE TABLE organization_default (
    organization_id    UUID             NOT NULL,
    check_type         VARCHAR(16)      NOT NULL,
    field              VARCHAR(64)      NOT NULL,
    operator           VARCHAR(1)       NOT NULL,
    threshold          DOUBLE PRECISION NOT NULL,
    tolerance_seconds  BIGINT           NOT NULL,
    active             BOOLEAN          NOT NULL,
    PRIMARY KEY (organization_id, check_type, field)
);

-- One setting per metric field of a check, with its evaluation state.
CREATE TABLE alert_setting (
    id                 UUID             PRIMARY KEY,
    organization_id    UUID             NOT NULL,
    device_id          UUID             NOT NULL,
    check_id           UUID             NOT NULL,
    check_type         VARCHAR(16)      NOT NULL,
    field              VARCHAR(64)      NOT NULL,
    operator           VARCHAR(1)       NOT NULL,
    threshold          DOUBLE PRECISION NOT NULL,
    tolerance_seconds  BIGINT           NOT NULL CHECK (tolerance_seconds BETWEEN 0 AND 604800),
    active             BOOLEAN          NOT NULL,
    status             VARCHAR(8)       NOT NULL DEFAULT 'ok',
    first_crossing_at  TIMESTAMPTZ,
    crossing_points    INT              NOT NULL DEFAULT 0,
    last_point_at      TIMESTAMPTZ,
    last_value         DOUBLE PRECISION,
    created_at         TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ      NOT NULL DEFAULT now(),
    UNIQUE (check_id, field)
);
CREATE INDEX alert_setting_device ON alert_setting (device_id);
CREATE INDEX alert_setting_org ON alert_setting (organization_id);

-- Every transition; the id is the notification's event id (deterministic per setting, type and point time).
CREATE TABLE notification (
    id                 UUID             PRIMARY KEY,
    organization_id    UUID             NOT NULL,
    device_id          UUID             NOT NULL,
    check_id           UUID             NOT NULL,
    alert_setting_id   UUID             NOT NULL,
    type               VARCHAR(16)      NOT NULL,
    field              VARCHAR(64)      NOT NULL,
    operator           VARCHAR(1)       NOT NULL,
    threshold          DOUBLE PRECISION NOT NULL,
    tolerance_seconds  BIGINT           NOT NULL,
    value              DOUBLE PRECISION NOT NULL,
    time               TIMESTAMPTZ      NOT NULL,
    message            TEXT             NOT NULL,
    read               BOOLEAN          NOT NULL DEFAULT false,
    created_at         TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX notification_org_time ON notification (organization_id, time DESC);
CREATE INDEX notification_device ON notification (device_id, time DESC);

CREATE TABLE device_health (
    device_id        UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    status           VARCHAR(16) NOT NULL,
    changed_at       TIMESTAMPTZ NOT NULL,
    reason           TEXT
);

-- Transactional outbox: rows written with the state change, relayed to Kafka after commit.
CREATE TABLE outbox (
    id          BIGSERIAL    PRIMARY KEY,
    topic       VARCHAR(128) NOT NULL,
    event_key   UUID         NOT NULL,
    event_id    UUID         NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE webhook (
    id               UUID          PRIMARY KEY,
    organization_id  UUID          NOT NULL,
    url              VARCHAR(2048) NOT NULL,
    secret           TEXT          NOT NULL,
    active           BOOLEAN       NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX webhook_org ON webhook (organization_id);

-- One delivery per (webhook, notification), retried with back-off; attempts are the delivery log.
CREATE TABLE webhook_delivery (
    id               UUID         PRIMARY KEY,
    webhook_id       UUID         NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    notification_id  UUID         NOT NULL,
    status           VARCHAR(16)  NOT NULL DEFAULT 'pending',
    attempts         INT          NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_status_code INT,
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (webhook_id, notification_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempt (
    delivery_id  UUID        NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    attempt      INT         NOT NULL,
    at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    status_code  INT,
    error        TEXT,
    duration_ms  BIGINT      NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
