-- The platform's one outbox shape (bandwatch-platform, io.bandwatch.platform.outbox), as in inventory.
-- Unsent rows stay and are relayed by the platform relay; ids and their sequence are kept.
-- The key in its text form, as on the wire
ALTER TABLE outbox ALTER COLUMN event_key TYPE VARCHAR(255) USING event_key::text;
-- The CloudEvents type and time, which the emitters' serializer used to take from the payload
ALTER TABLE outbox ADD COLUMN event_type VARCHAR(128);
ALTER TABLE outbox ADD COLUMN event_time TIMESTAMPTZ;
UPDATE outbox SET event_type = CASE topic WHEN 'alert.notifications' THEN 'io.bandwatch.alert.notification.v1'
                                          ELSE 'io.bandwatch.device.health.v1' END,
                  event_time = COALESCE((payload::jsonb ->> 'time')::timestamptz,
                                        (payload::jsonb ->> 'changed_at')::timestamptz, created_at);
ALTER TABLE outbox ALTER COLUMN event_type SET NOT NULL;
ALTER TABLE outbox ALTER COLUMN event_time SET NOT NULL;
-- sent rows are pruned after bandwatch.outbox.retention
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
