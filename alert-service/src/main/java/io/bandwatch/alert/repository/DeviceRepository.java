package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Devices projected from {@code inventory.devices}: their names, for messages. */
@ApplicationScoped
public class DeviceRepository {

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
