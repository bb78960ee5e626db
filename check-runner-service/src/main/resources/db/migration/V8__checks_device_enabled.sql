-- The claim reads whether a check's device is enabled from the check's own row (device_enabled) instead of probing
-- devices for every due row: at 100,000 checks of 50,000 devices that probe read two pages per claimed row (devices'
-- index leaf and heap page) that were seldom in shared buffers. Kept by triggers, so every write of devices or
-- checks keeps it, whichever code path or consumer makes it: a check takes its device's flag when inserted or moved
-- to another device (false while its device is not projected yet), and a device's insert, change of enabled or
-- delete sets the flag of its checks. The device and check events come from different topics and may be projected
-- at the same time: both triggers first take a transaction-scoped advisory lock on the device id, so the second of
-- the two transactions waits for the first to commit and then reads it (each statement of a volatile function takes
-- a new snapshot under READ COMMITTED), whichever comes first. The lock is one of 256 stripes (key 8008, hash of the
-- device id & 255), so that a transaction writing many devices (a bulk load) holds at most 256 locks, well within
-- PostgreSQL's lock table; two devices sharing a stripe only wait for each other's projection to commit.
ALTER TABLE checks ADD COLUMN device_enabled BOOLEAN NOT NULL DEFAULT false;
UPDATE checks c SET device_enabled = d.enabled FROM devices d WHERE d.id = c.device_id AND d.enabled;

CREATE FUNCTION checks_take_device_enabled() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(8008, hashtext(NEW.device_id::text) & 255);
    NEW.device_enabled := coalesce((SELECT d.enabled FROM devices d WHERE d.id = NEW.device_id), false);
    RETURN NEW;
END $$;
CREATE TRIGGER checks_device_enabled BEFORE INSERT OR UPDATE OF device_id ON checks
    FOR EACH ROW EXECUTE FUNCTION checks_take_device_enabled();

CREATE FUNCTION devices_give_enabled() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    device UUID := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    flag BOOLEAN := CASE WHEN TG_OP = 'DELETE' THEN false ELSE NEW.enabled END;
BEGIN
    PERFORM pg_advisory_xact_lock(8008, hashtext(device::text) & 255);
    UPDATE checks SET device_enabled = flag WHERE device_id = device AND device_enabled IS DISTINCT FROM flag;
    RETURN NULL;
END $$;
CREATE TRIGGER devices_enabled_inserted AFTER INSERT ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_give_enabled();
CREATE TRIGGER devices_enabled_changed AFTER UPDATE OF enabled ON devices
    FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled) EXECUTE FUNCTION devices_give_enabled();
CREATE TRIGGER devices_enabled_deleted AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_give_enabled();
