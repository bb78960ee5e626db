package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.CheckType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The checks alert knows ({@code monitored_check}, projected from {@code inventory.checks} or registered from a first
 * result) and the revision of their settings. Every writer of a check's settings other than the evaluator raises the
 * revision first ({@link #touch}, {@link #markDeleted}, ...: the check's row lock comes before any setting's), so the
 * evaluator, which reads the revisions of a batch's checks {@code FOR SHARE} ({@link #revisionsOfDevicesForShare}),
 * knows when its copy of a device's settings is stale, and no writer changes them while its batch runs.
 */
@ApplicationScoped
public class CheckRepository {

    /** A known check; {@code deleted} once its tombstone came (its late results are ignored). */
    public record CheckRef(UUID id, UUID organizationId, UUID deviceId, CheckType type, boolean deleted) {
    }

    /** What the evaluator compares with its copy. */
    public record Revision(UUID id, UUID deviceId, boolean deleted, long revision) {
    }

    /** Records a check; true when it was not known before (its default settings are then due). */
    public Uni<Boolean> upsert(SqlClient conn, UUID id, UUID org, UUID device, CheckType type, long version) {
        return conn.preparedQuery("INSERT INTO monitored_check (id, organization_id, device_id, type, version) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, deleted = false, "
                + "settings_revision = monitored_check.settings_revision + 1 "
                + "WHERE monitored_check.version < EXCLUDED.version RETURNING (xmax = 0) AS inserted")
                .execute(tuple(id, org, device, type.jsonName(), version))
                .map(rs -> rs.size() == 1 && rs.iterator().next().getBoolean("inserted"));
    }

    public Uni<Optional<CheckRef>> find(SqlClient conn, UUID id) {
        return conn.preparedQuery("SELECT * FROM monitored_check WHERE id = $1").execute(tuple(id))
                .map(rs -> {
                    if (rs.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new CheckRef(r.getUUID("id"), r.getUUID("organization_id"),
                            r.getUUID("device_id"), Rows.checkType(r.getString("type")), r.getBoolean("deleted")));
                });
    }

    /** Marks a check deleted (kept, so that a late result does not register it again); raises its revision. */
    public Uni<Void> markDeleted(SqlClient conn, UUID id) {
        return conn.preparedQuery("UPDATE monitored_check SET deleted = true, settings_revision = settings_revision + 1 "
                + "WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** Marks every check of a device deleted; raises their revisions. */
    public Uni<Void> markDeletedOfDevice(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("UPDATE monitored_check SET deleted = true, settings_revision = settings_revision + 1 "
                + "WHERE device_id = $1").execute(tuple(deviceId)).replaceWithVoid();
    }

    /** The checks of these devices, locked against settings writers until the end of the transaction. */
    public Uni<List<Revision>> revisionsOfDevicesForShare(SqlClient conn, UUID[] deviceIds) {
        return conn.preparedQuery("SELECT id, device_id, deleted, settings_revision FROM monitored_check "
                + "WHERE device_id = ANY($1) ORDER BY id FOR SHARE").execute(tuple((Object) deviceIds))
                .map(CheckRepository::revisions);
    }

    /** The revisions of every known check (a consumer's state on assignment; not locked). */
    public Uni<List<Revision>> allRevisions(SqlClient conn) {
        return conn.query("SELECT id, device_id, deleted, settings_revision FROM monitored_check").execute()
                .map(CheckRepository::revisions);
    }

    private static List<Revision> revisions(RowSet<Row> rs) {
        List<Revision> list = new ArrayList<>(rs.size());
        for (Row r : rs) {
            list.add(new Revision(r.getUUID("id"), r.getUUID("device_id"), r.getBoolean("deleted"),
                    r.getLong("settings_revision")));
        }
        return list;
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
