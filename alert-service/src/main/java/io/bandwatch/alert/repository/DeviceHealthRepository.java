package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.HealthStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Device health as last published on {@code devices.health}. */
@ApplicationScoped
public class DeviceHealthRepository {

    public record StoredHealth(UUID organizationId, HealthStatus status, Instant changedAt, String reason) {
    }

    public Uni<Optional<StoredHealth>> find(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("SELECT * FROM device_health WHERE device_id = $1").execute(tuple(deviceId))
                .map(rs -> {
                    if (rs.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new StoredHealth(r.getUUID("organization_id"), status(r.getString("status")),
                            instant(r, "changed_at"), r.getString("reason")));
                });
    }

    /** The stored status of those of these devices that have one. */
    public Uni<Map<UUID, HealthStatus>> statuses(SqlClient conn, UUID[] deviceIds) {
        return conn.preparedQuery("SELECT device_id, status FROM device_health WHERE device_id = ANY($1)")
                .execute(tuple((Object) deviceIds)).map(rs -> {
                    Map<UUID, HealthStatus> map = new HashMap<>();
                    for (Row r : rs) {
                        map.put(r.getUUID(0), status(r.getString(1)));
                    }
                    return map;
                });
    }

    public Uni<Void> save(SqlClient conn, DeviceHealth h) {
        return conn.preparedQuery("INSERT INTO device_health (device_id, organization_id, status, changed_at, reason) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET status = EXCLUDED.status, "
                + "changed_at = EXCLUDED.changed_at, reason = EXCLUDED.reason, organization_id = EXCLUDED.organization_id")
                .execute(tuple(h.deviceId(), h.organizationId(), h.status().jsonName(), odt(h.changedAt()), h.reason()))
                .replaceWithVoid();
    }

    /** Stores these healths (one per device) in one statement. */
    public Uni<Void> saveAll(SqlClient conn, Collection<DeviceHealth> healths) {
        int n = healths.size();
        UUID[] devices = new UUID[n];
        UUID[] orgs = new UUID[n];
        String[] statuses = new String[n];
        OffsetDateTime[] changed = new OffsetDateTime[n];
        String[] reasons = new String[n];
        int i = 0;
        for (DeviceHealth h : healths) {
            devices[i] = h.deviceId();
            orgs[i] = h.organizationId();
            statuses[i] = h.status().jsonName();
            changed[i] = odt(h.changedAt());
            reasons[i] = h.reason();
            i++;
        }
        return conn.preparedQuery("INSERT INTO device_health (device_id, organization_id, status, changed_at, reason) "
                + "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[]) "
                + "ON CONFLICT (device_id) DO UPDATE SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, "
                + "reason = EXCLUDED.reason, organization_id = EXCLUDED.organization_id")
                .execute(tuple(devices, orgs, statuses, changed, reasons)).replaceWithVoid();
    }

    /** Removes a device's health; true when there was one. */
    public Uni<Boolean> delete(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("DELETE FROM device_health WHERE device_id = $1").execute(tuple(deviceId))
                .map(rs -> rs.rowCount() > 0);
    }

    private static HealthStatus status(String s) {
        return HealthStatus.valueOf(s.toUpperCase(Locale.ROOT));
    }
}
