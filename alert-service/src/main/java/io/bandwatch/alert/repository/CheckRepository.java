package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The checks alert knows ({@code monitored_check}, projected from {@code inventory.checks} or registered from a first
 * result) and the revision of their settings: every writer of a check's settings other than the evaluator raises it
 * first ({@link #touch}, which takes the check's row lock), so the evaluator, which reads the revisions of a batch's
 * checks {@code FOR SHARE} ({@link #revisionsOfDevicesForShare}), knows when its copy of a device's settings is stale.
 */
@ApplicationScoped
public class CheckRepository {

    /** What the evaluator compares with its copy. */
    public record Revision(UUID id, UUID deviceId, boolean deleted, long revision) {
    }

    /** The checks of these devices, locked against settings writers until the end of the transaction. */
    public Uni<List<Revision>> revisionsOfDevicesForShare(SqlClient conn, UUID[] deviceIds) {
        return conn.preparedQuery("SELECT id, device_id, deleted, settings_revision FROM monitored_check "
                + "WHERE device_id = ANY($1) ORDER BY id FOR SHARE").execute(tuple((Object) deviceIds))
                .map(rs -> {
                    List<Revision> list = new ArrayList<>(rs.size());
                    for (Row r : rs) {
                        list.add(new Revision(r.getUUID("id"), r.getUUID("device_id"), r.getBoolean("deleted"),
                                r.getLong("settings_revision")));
                    }
                    return list;
                });
    }

    /** Raises the revision of a check's settings (before changing them). */
    public Uni<Void> touch(SqlClient conn, UUID checkId) {
        return conn.preparedQuery("UPDATE monitored_check SET settings_revision = settings_revision + 1 WHERE id = $1")
                .execute(tuple(checkId)).replaceWithVoid();
    }

    /** Raises the revision of the check of a setting (before changing the setting). */
    public Uni<Void> touchOfSetting(SqlClient conn, UUID settingId) {
        return conn.preparedQuery("UPDATE monitored_check SET settings_revision = settings_revision + 1 "
                + "WHERE id = (SELECT check_id FROM alert_setting WHERE id = $1)").execute(tuple(settingId))
                .replaceWithVoid();
    }
}
