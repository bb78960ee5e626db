-- Tracing: the W3C traceparent of the span that appended the row (null outside a trace); the relay sends it as the
-- record's "traceparent" header beside the CloudEvents headers. Rows appended before this migration have none.
ALTER TABLE outbox ADD COLUMN trace_parent VARCHAR(256);
