-- Projections of inventory's compacted topics (upsert by id, newer version wins, delete on tombstone),
-- the schedule state of each check (one row per check: next run, claim, heartbeat) and the run history.
CREATE TABLE devices (
    id                    UUID         PRIMARY KEY,
    organization_id       UUID         NOT NULL,
    name                  TEXT         NOT NULL,
    address               TEXT         NOT NULL,
    ssh_port              INTEGER      NOT NULL,
    ssh_user              TEXT         NOT NULL,
    auth_method           VARCHAR(16)  NOT NULL,
    host_key_fingerprint  TEXT,
    enabled               BOOLEAN      NOT NULL,
    version               BIGINT       NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL
);

CREATE TABLE iperf3_servers (
    id                UUID         PRIMARY KEY,
    organization_ids  UUID[]       NOT NULL,
    host              TEXT         NOT NULL,
    port              INTEGER      NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    auth_required     BOOLEAN      NOT NULL,
    version           BIGINT       NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX iperf3_servers_host ON iperf3_servers (host);

CREATE TABLE checks (
    id               UUID         PRIMARY KEY,
    organization_id  UUID         NOT NULL,
    device_id        UUID         NOT NULL,
    type             VARCHAR(16)  NOT NULL,
    snapshot         TEXT         NOT NULL,   -- the CheckSnapshot JSON (effective parameters)
    schedule         TEXT         NOT NULL,   -- its schedule JSON; a change recomputes next_run_at
    active           BOOLEAN      NOT NULL,
    version          BIGINT       NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    -- schedule state
    next_run_at      TIMESTAMPTZ  NOT NULL,
    request_id       UUID,                    -- a pending on-demand run ("run now")
    requested_by     TEXT,
    running_by       TEXT,                    -- claiming runner id while a run is in progress
    run_id           UUID,
    run_trigger      VARCHAR(16),
    claimed_at       TIMESTAMPTZ,
    heartbeat_at     TIMESTAMPTZ,
    last_run_at      TIMESTAMPTZ,
    last_status      VARCHAR(16),
    last_error_code  VARCHAR(32)
);
CREATE INDEX checks_due ON checks (next_run_at) WHERE active;
CREATE INDEX checks_device ON checks (device_id);

CREATE TABLE runs (
    event_id         UUID         PRIMARY KEY,
    check_id         UUID         NOT NULL,
    device_id        UUID         NOT NULL,
    organization_id  UUID         NOT NULL,
    type             VARCHAR(16)  NOT NULL,
    run_trigger      VARCHAR(16)  NOT NULL,
    runner_id        TEXT         NOT NULL,
    started_at       TIMESTAMPTZ  NOT NULL,
    finished_at      TIMESTAMPTZ  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    error_code       VARCHAR(32),
    error_message    TEXT,
    server_id        UUID,
    server_host      TEXT,
    server_port      INTEGER,
    fencing_token    BIGINT,
    lease_wait_ms    BIGINT
);
CREATE INDEX runs_device ON runs (device_id, started_at DESC);
CREATE INDEX runs_check ON runs (check_id, started_at DESC);
