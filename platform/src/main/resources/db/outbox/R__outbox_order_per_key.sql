-- The outbox relay sends rows in id order; for one key that must be the commit order. A BEFORE INSERT trigger
-- takes a transaction lock on (topic, key) and only then gives the row its id, so a second transaction writing
-- the same key waits until the first has committed (or rolled back) and gets a larger id. Writers of different
-- keys do not wait for each other (a hash collision only makes two of them wait in turn).
-- Two-int advisory keys (1651471732 = the outbox writers) do not overlap the relay's 64-bit lock.
-- Shipped by bandwatch-platform; a service with an outbox lists db/outbox in quarkus.flyway.locations.
CREATE OR REPLACE FUNCTION outbox_order_per_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1651471732, hashtext(NEW.topic || '/' || NEW.event_key));
    NEW.id := nextval(pg_get_serial_sequence('outbox', 'id'));
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS outbox_order_per_key ON outbox;
CREATE TRIGGER outbox_order_per_key BEFORE INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_order_per_key();
