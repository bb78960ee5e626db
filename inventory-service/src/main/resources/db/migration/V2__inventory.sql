-- Organizations, users and memberships; devices, iperf3 servers, checks, per-organization iperf3
-- defaults; device health learnt from devices.health; the consumer's message log.
-- Secrets are stored only as AES-GCM ciphertext "kid:base64(iv || ciphertext+tag)".
CREATE TABLE organization (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200) NOT NULL UNIQUE,
    enabled     BOOLEAN      NOT NULL DEFAULT TRUE,
    version     BIGINT       NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id             UUID PRIMARY KEY,
    username       VARCHAR(100) NOT NULL UNIQUE,
    password_hash  VARCHAR(200) NOT NULL,
    superuser      BOOLEAN      NOT NULL DEFAULT FALSE,
    service        BOOLEAN      NOT NULL DEFAULT FALSE,
    enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
    version        BIGINT       NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE membership (
    user_id          UUID        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    organization_id  UUID        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    role             VARCHAR(16) NOT NULL CHECK (role IN ('owner', 'operator', 'viewer')),
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX membership_org ON membership (organization_id);

CREATE TABLE device (
    id                    UUID PRIMARY KEY,
    organization_id       UUID         NOT NULL REFERENCES organization (id),
    name                  VARCHAR(200) NOT NULL,
    address               VARCHAR(253) NOT NULL,
    ssh_port              INT          NOT NULL,
    ssh_user              VARCHAR(100) NOT NULL,
    auth_method           VARCHAR(16)  NOT NULL,
    secret_ciphertext     TEXT         NOT NULL,
    host_key_fingerprint  VARCHAR(64),
    tags                  TEXT         NOT NULL DEFAULT '[]',
    enabled               BOOLEAN      NOT NULL DEFAULT TRUE,
    version               BIGINT       NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT device_name_unique UNIQUE (organization_id, name)
);

CREATE TABLE iperf3_server (
    id                  UUID PRIMARY KEY,
    host                VARCHAR(253) NOT NULL,
    port                INT          NOT NULL,
    enabled             BOOLEAN      NOT NULL DEFAULT TRUE,
    auth_username       VARCHAR(20),
    auth_password       TEXT,
    rsa_public_key      TEXT,
    organization_ids    TEXT         NOT NULL DEFAULT '[]',  -- JSON array of organization ids
    version             BIGINT       NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT iperf3_server_endpoint_unique UNIQUE (host, port)
);

CREATE TABLE check_def (
    id                UUID PRIMARY KEY,
    organization_id   UUID         NOT NULL REFERENCES organization (id),
    device_id         UUID         NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    name              VARCHAR(200) NOT NULL,
    type              VARCHAR(16)  NOT NULL,
    params            TEXT         NOT NULL DEFAULT '{}',
    auth_secret       TEXT,
    cron              VARCHAR(100),
    time_zone         VARCHAR(64)  NOT NULL DEFAULT 'UTC',
    interval_seconds  BIGINT,
    random_slip_seconds BIGINT     NOT NULL DEFAULT 0,
    active            BOOLEAN      NOT NULL DEFAULT TRUE,
    version           BIGINT       NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT check_name_unique UNIQUE (device_id, name)
);
CREATE INDEX check_def_org ON check_def (organization_id);

CREATE TABLE organization_iperf3_defaults (
    organization_id  UUID PRIMARY KEY REFERENCES organization (id),
    config           TEXT        NOT NULL DEFAULT '{}',
    auth_secret      TEXT,
    version          BIGINT      NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE device_health (
    device_id        UUID PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    status           VARCHAR(16) NOT NULL,
    changed_at       TIMESTAMPTZ NOT NULL,
    reason           TEXT
);

CREATE TABLE message_log (
    event_id     UUID PRIMARY KEY,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
