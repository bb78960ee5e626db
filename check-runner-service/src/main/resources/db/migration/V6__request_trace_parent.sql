-- Tracing: the W3C traceparent of a pending "run now" request (its check.requests record's header), so that the run
-- served later from the claim loop is traced in the request's trace; read only while request_id is set.
ALTER TABLE checks ADD COLUMN request_trace_parent VARCHAR(256);
