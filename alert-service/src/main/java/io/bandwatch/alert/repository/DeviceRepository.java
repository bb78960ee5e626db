package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Devices projected from {@code inventory.devices}: their organization and name (for messages). */
@ApplicationScoped
public class DeviceRepository {

    /** Stores a device snapshot unless a newer version is stored. */
    public Uni<Void> upsert(SqlClient conn, UUID id, UUID org, String name, long version) {
        return conn.preparedQuery("INSERT INTO device (id, organization_id, name, version) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name, "
                + "version = EXCLUDED.version WHERE device.version < EXCLUDED.version")
                .execute(tuple(id, org, name, version)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient conn, UUID id) {
        return conn.preparedQuery("DELETE FROM device WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** Names of the known ones among these devices. */
    public Uni<Map<UUID, String>> names(SqlClient conn, UUID[] ids) {
        return conn.preparedQuery("SELECT id, name FROM device WHERE id = ANY($1)").execute(tuple((Object) ids))
                .map(rs -> {
                    Map<UUID, String> names = new HashMap<>();
                    for (Row r : rs) {
                        names.put(r.getUUID("id"), r.getString("name"));
                    }
                    return names;
                });
    }
}
