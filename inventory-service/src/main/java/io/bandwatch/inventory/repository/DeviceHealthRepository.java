package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.DeviceHealthState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The latest health of devices ({@code device_health}). */
@ApplicationScoped
public class DeviceHealthRepository {

    static DeviceHealthState health(Row r) {
        DeviceHealthState h = new DeviceHealthState();
        h.deviceId = r.getUUID("device_id");
        h.organizationId = r.getUUID("organization_id");
        h.status = r.getString("status");
        h.changedAt = instant(r, "changed_at");
        h.reason = r.getString("reason");
        return h;
    }

    /** The device's health or null. */
    public Uni<DeviceHealthState> find(SqlClient conn, UUID deviceId) {
        return Rows.one(conn, "SELECT * FROM device_health WHERE device_id = $1", tuple(deviceId),
                DeviceHealthRepository::health);
    }

    public Uni<List<DeviceHealthState>> ofDevices(SqlClient conn, Collection<UUID> deviceIds) {
        return Rows.query(conn, "SELECT * FROM device_health WHERE device_id = ANY($1)",
                tuple((Object) deviceIds.toArray(UUID[]::new)), DeviceHealthRepository::health);
    }

    /** Inserts or replaces the device's health. */
    public Uni<Void> save(SqlClient conn, DeviceHealthState h) {
        return Rows.update(conn, "INSERT INTO device_health (device_id, organization_id, status, changed_at, reason) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, "
                + "status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, reason = EXCLUDED.reason",
                tuple(h.deviceId, h.organizationId, h.status, odt(h.changedAt), h.reason)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient conn, UUID deviceId) {
        return Rows.update(conn, "DELETE FROM device_health WHERE device_id = $1", tuple(deviceId)).replaceWithVoid();
    }
}
