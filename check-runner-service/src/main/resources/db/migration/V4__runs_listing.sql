-- GET /api/v1/runs without a device or check: the newest runs of the caller's organizations (keyset pages on
-- started_at, event_id), and of every organization for a superuser.
CREATE INDEX runs_organization ON runs (organization_id, started_at DESC, event_id DESC);
CREATE INDEX runs_started ON runs (started_at DESC, event_id DESC);
