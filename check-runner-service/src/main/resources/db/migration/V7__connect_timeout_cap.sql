-- client_options.connect_timeout is capped at 1,000,000 ms (events Iperf3Options.MAX_CONNECT_TIMEOUT). Check snapshots
-- stored before the cap may hold more: clamp them to the cap, the value the event reader gives them anyway (see
-- events/README.md), so that the stored projection holds only values the contract allows. The schedule is not touched.
UPDATE checks
   SET snapshot = jsonb_set(snapshot::jsonb, '{iperf3,client_options,connect_timeout}', '1000000')::text
 WHERE jsonb_typeof(snapshot::jsonb #> '{iperf3,client_options,connect_timeout}') = 'number'
   AND (snapshot::jsonb #>> '{iperf3,client_options,connect_timeout}')::numeric > 1000000;
