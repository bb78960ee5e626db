-- client_options.connect_timeout is capped at 1,000,000 ms (OpenWISP's bound; events Iperf3Options.MAX_CONNECT_TIMEOUT).
-- Before the cap any positive int was accepted, so stored check parameters and organization iperf3 defaults may hold
-- more: clamp them to the cap, which is the value the runner already uses for them (the event reader clamps too,
-- see events/README.md), so that a document read back (GET, then PUT) passes the bound again. Versions are left
-- alone: the effective value does not change, so no new snapshot is owed to the consumers.
UPDATE check_def
   SET params = jsonb_set(params::jsonb, '{client_options,connect_timeout}', '1000000')::text
 WHERE jsonb_typeof(params::jsonb #> '{client_options,connect_timeout}') = 'number'
   AND (params::jsonb #>> '{client_options,connect_timeout}')::numeric > 1000000;

UPDATE organization_iperf3_defaults
   SET config = jsonb_set(config::jsonb, '{client_options,connect_timeout}', '1000000')::text
 WHERE jsonb_typeof(config::jsonb #> '{client_options,connect_timeout}') = 'number'
   AND (config::jsonb #>> '{client_options,connect_timeout}')::numeric > 1000000;
