package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.instant;
import static io.bandwatch.alert.repository.Rows.odt;
import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.evaluation.AlertStatus;
import io.bandwatch.alert.evaluation.DefaultSetting;
import io.bandwatch.alert.evaluation.SettingState;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.HealthStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of the alert database on the reactive PostgreSQL client. Every method takes the connection of the
 * caller's transaction, so that a state change, its {@code message_log} row, its notifications and its outbox
 * rows (platform {@code MessageLog} and {@code Outbox}) commit together.
 */
public final class AlertStore {

    private AlertStore() {
    }

    // ---------------------------------------------------------------- projections

    public static Uni<Void> upsertDevice(SqlConnection conn, UUID id, UUID org, String name, long version) {
        return conn.preparedQuery("INSERT INTO device (id, organization_id, name, version) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name, "
                + "version = EXCLUDED.version WHERE device.version < EXCLUDED.version")
                .execute(tuple(id, org, name, version)).replaceWithVoid();
    }

    public static Uni<Void> deleteDevice(SqlConnection conn, UUID id) {
        return conn.preparedQuery("DELETE FROM device WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    public static Uni<Optional<String>> deviceName(SqlClient conn, UUID id) {
        return conn.preparedQuery("SELECT name FROM device WHERE id = $1").execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getString("name")));
    }

    /** Records a check; true when it was not known before (its default settings are then due). */
    public static Uni<Boolean> upsertCheck(SqlConnection conn, UUID id, UUID org, UUID device, CheckType type,
            long version) {
        return conn.preparedQuery("INSERT INTO monitored_check (id, organization_id, device_id, type, version) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, deleted = false, "
                + "settings_revision = monitored_check.settings_revision + 1 "
                + "WHERE monitored_check.version < EXCLUDED.version RETURNING (xmax = 0) AS inserted")
                .execute(tuple(id, org, device, type.jsonName(), version))
                .map(rs -> rs.size() == 1 && rs.iterator().next().getBoolean("inserted"));
    }

    public record CheckRef(UUID id, UUID organizationId, UUID deviceId, CheckType type, boolean deleted) {
    }

    public static Uni<Optional<CheckRef>> check(SqlClient conn, UUID id) {
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

    /** Deletes a check and its settings; the check as it was, if known. */
    public static Uni<Optional<CheckRef>> deleteCheck(SqlConnection conn, UUID id) {
        // the check's row first (its lock and revision tell the evaluator), then its settings
        return check(conn, id).call(found -> conn.preparedQuery("UPDATE monitored_check SET deleted = true, "
                + "settings_revision = settings_revision + 1 WHERE id = $1").execute(tuple(id))
                .chain(() -> conn.preparedQuery("DELETE FROM alert_setting WHERE check_id = $1").execute(tuple(id))));
    }

    // ---------------------------------------------------------------- defaults

    public static Uni<List<DefaultSetting>> organizationDefaults(SqlClient conn, UUID org) {
        return conn.preparedQuery("SELECT * FROM organization_default WHERE organization_id = $1 "
                + "ORDER BY check_type, field").execute(tuple(org))
                .map(rs -> {
                    List<DefaultSetting> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(new DefaultSetting(Rows.checkType(r.getString("check_type")), r.getString("field"),
                                Rows.operator(r.getString("operator")), r.getDouble("threshold"),
                                Duration.ofSeconds(r.getLong("tolerance_seconds")), r.getBoolean("active")));
                    }
                    return list;
                });
    }

    public static Uni<Void> replaceOrganizationDefaults(SqlConnection conn, UUID org, List<DefaultSetting> defaults) {
        Uni<Void> chain = conn.preparedQuery("DELETE FROM organization_default WHERE organization_id = $1")
                .execute(tuple(org)).replaceWithVoid();
        for (DefaultSetting d : defaults) {
            chain = chain.chain(() -> conn.preparedQuery("INSERT INTO organization_default (organization_id, "
                    + "check_type, field, operator, threshold, tolerance_seconds, active) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .execute(tuple(org, d.checkType().jsonName(), d.field(), d.operator().symbol(), d.threshold(),
                            d.tolerance().getSeconds(), d.active()))
                    .replaceWithVoid());
        }
        return chain;
    }

    /** Creates the default settings of a check (organization's for its type if any, else built-in); idempotent. */
    public static Uni<Void> createDefaultSettings(SqlConnection conn, CheckRef check) {
        return organizationDefaults(conn, check.organizationId()).chain(orgDefaults -> {
            List<DefaultSetting> ofType = orgDefaults.stream().filter(d -> d.checkType() == check.type()).toList();
            List<DefaultSetting> chosen = ofType.isEmpty() ? DefaultSetting.builtIn(check.type()) : ofType;
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (DefaultSetting d : chosen) {
                chain = chain.chain(() -> conn.preparedQuery("INSERT INTO alert_setting (id, organization_id, device_id, "
                        + "check_id, check_type, field, operator, threshold, tolerance_seconds, active) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (check_id, field) DO NOTHING")
                        .execute(tuple(UUID.randomUUID(), check.organizationId(), check.deviceId(), check.id(),
                                check.type().jsonName(), d.field(), d.operator().symbol(), d.threshold(),
                                d.tolerance().getSeconds(), d.active()))
                        .replaceWithVoid());
            }
            return chain;
        });
    }

    // ---------------------------------------------------------------- settings

    static Setting setting(Row r) {
        return new Setting(r.getUUID("id"), r.getUUID("organization_id"), r.getUUID("device_id"), r.getUUID("check_id"),
                Rows.checkType(r.getString("check_type")), r.getString("field"), Rows.operator(r.getString("operator")),
                r.getDouble("threshold"), Duration.ofSeconds(r.getLong("tolerance_seconds")), r.getBoolean("active"),
                new SettingState(AlertStatus.of(r.getString("status")), instant(r, "first_crossing_at"),
                        r.getInteger("crossing_points"), instant(r, "last_point_at"), r.getDouble("last_value")),
                instant(r, "created_at"), instant(r, "updated_at"));
    }

    static List<Setting> settings(RowSet<Row> rs) {
        List<Setting> list = new ArrayList<>();
        for (Row r : rs) {
            list.add(setting(r));
        }
        return list;
    }

    /** The active settings of a check, locked until the end of the transaction. */
    public static Uni<List<Setting>> activeSettingsOfCheckForUpdate(SqlConnection conn, UUID checkId) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE check_id = $1 AND active ORDER BY field FOR UPDATE")
                .execute(tuple(checkId)).map(AlertStore::settings);
    }

    public static Uni<List<Setting>> settingsOfDevice(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE device_id = $1 ORDER BY check_id, field")
                .execute(tuple(deviceId)).map(AlertStore::settings);
    }

    public static Uni<Optional<Setting>> setting(SqlClient conn, UUID id, boolean forUpdate) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(setting(rs.iterator().next())));
    }

    /** Settings visible to the caller (orgs null = all), optionally of one device or check. */
    public static Uni<List<Setting>> listSettings(SqlClient conn, java.util.Collection<UUID> orgs, UUID deviceId, UUID checkId) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "AND ($2::uuid IS NULL OR device_id = $2) AND ($3::uuid IS NULL OR check_id = $3) "
                + "ORDER BY device_id, check_id, field LIMIT 1000")
                .execute(tuple(orgs == null ? null : orgs.toArray(UUID[]::new), deviceId, checkId))
                .map(AlertStore::settings);
    }

    /** Inserts a setting; false when the check already has one for that field. */
    public static Uni<Boolean> insertSetting(SqlConnection conn, Setting s) {
        return conn.preparedQuery("INSERT INTO alert_setting (id, organization_id, device_id, check_id, check_type, field, "
                + "operator, threshold, tolerance_seconds, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                + "ON CONFLICT (check_id, field) DO NOTHING")
                .execute(tuple(s.id(), s.organizationId(), s.deviceId(), s.checkId(), s.checkType().jsonName(), s.field(),
                        s.operator().symbol(), s.threshold(), s.tolerance().getSeconds(), s.active()))
                .map(rs -> rs.rowCount() == 1);
    }

    /** Writes the definition and the state of a setting. */
    public static Uni<Void> updateSetting(SqlConnection conn, Setting s) {
        SettingState st = s.state();
        return conn.preparedQuery("UPDATE alert_setting SET operator = $2, threshold = $3, tolerance_seconds = $4, "
                + "active = $5, status = $6, first_crossing_at = $7, crossing_points = $8, last_point_at = $9, "
                + "last_value = $10, updated_at = now() WHERE id = $1")
                .execute(tuple(s.id(), s.operator().symbol(), s.threshold(), s.tolerance().getSeconds(), s.active(),
                        st.status().jsonName(), odt(st.firstCrossingAt()), st.crossingPoints(), odt(st.lastPointAt()),
                        st.lastValue()))
                .replaceWithVoid();
    }

    /** Writes only the state of a setting (evaluation). */
    public static Uni<Void> updateState(SqlConnection conn, UUID id, SettingState st) {
        return conn.preparedQuery("UPDATE alert_setting SET status = $2, first_crossing_at = $3, crossing_points = $4, "
                + "last_point_at = $5, last_value = $6 WHERE id = $1")
                .execute(tuple(id, st.status().jsonName(), odt(st.firstCrossingAt()), st.crossingPoints(),
                        odt(st.lastPointAt()), st.lastValue()))
                .replaceWithVoid();
    }

    public static Uni<Void> deleteSetting(SqlConnection conn, UUID id) {
        return conn.preparedQuery("DELETE FROM alert_setting WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    // ---------------------------------------------------------------- notifications

    /** Inserts a notification; false when it exists (same transition recorded before). */
    public static Uni<Boolean> insertNotification(SqlConnection conn, AlertNotification n) {
        return conn.preparedQuery("INSERT INTO notification (id, organization_id, device_id, check_id, alert_setting_id, "
                + "type, field, operator, threshold, tolerance_seconds, value, time, message) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING")
                .execute(tuple(n.eventId(), n.organizationId(), n.deviceId(), n.checkId(), n.alertSettingId(),
                        n.type().jsonName(), n.field(), n.operator().symbol(), n.threshold(), n.tolerance().getSeconds(),
                        n.value(), odt(n.time()), n.message()))
                .map(rs -> rs.rowCount() == 1);
    }

    public record NotificationRow(AlertNotification notification, boolean read, Instant createdAt) {
    }

    static NotificationRow notificationRow(Row r) {
        return new NotificationRow(new AlertNotification(r.getUUID("id"), r.getUUID("organization_id"),
                r.getUUID("device_id"), r.getUUID("check_id"), r.getUUID("alert_setting_id"),
                io.bandwatch.events.NotificationType.valueOf(r.getString("type").toUpperCase()), r.getString("field"),
                Rows.operator(r.getString("operator")), r.getDouble("threshold"),
                Duration.ofSeconds(r.getLong("tolerance_seconds")), r.getDouble("value"), instant(r, "time"),
                r.getString("message")), r.getBoolean("read"), instant(r, "created_at"));
    }

    public static Uni<Optional<NotificationRow>> notification(SqlClient conn, UUID id) {
        return conn.preparedQuery("SELECT * FROM notification WHERE id = $1").execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(notificationRow(rs.iterator().next())));
    }

    /** Newest first; orgs null = all. */
    public static Uni<List<NotificationRow>> listNotifications(SqlClient conn, java.util.Collection<UUID> orgs, UUID deviceId,
            String type, Boolean unread, int limit, int offset) {
        return conn.preparedQuery("SELECT * FROM notification WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "AND ($2::uuid IS NULL OR device_id = $2) AND ($3::text IS NULL OR type = $3) "
                + "AND ($4::boolean IS NULL OR read = NOT $4) ORDER BY time DESC, id LIMIT $5 OFFSET $6")
                .execute(tuple(orgs == null ? null : orgs.toArray(UUID[]::new), deviceId, type, unread, limit, offset))
                .map(rs -> {
                    List<NotificationRow> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(notificationRow(r));
                    }
                    return list;
                });
    }

    public static Uni<Void> markRead(SqlClient conn, UUID id) {
        return conn.preparedQuery("UPDATE notification SET read = true WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** A delivery per active webhook of the organization. */
    public static Uni<Void> queueDeliveries(SqlConnection conn, UUID org, UUID notificationId) {
        return conn.preparedQuery("INSERT INTO webhook_delivery (id, webhook_id, notification_id) "
                + "SELECT gen_random_uuid(), id, $2 FROM webhook WHERE organization_id = $1 AND active "
                + "ON CONFLICT (webhook_id, notification_id) DO NOTHING")
                .execute(tuple(org, notificationId)).replaceWithVoid();
    }

    // ---------------------------------------------------------------- health

    public record StoredHealth(HealthStatus status, Instant changedAt, String reason) {
    }

    public static Uni<Optional<StoredHealth>> health(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("SELECT * FROM device_health WHERE device_id = $1").execute(tuple(deviceId))
                .map(rs -> {
                    if (rs.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new StoredHealth(HealthStatus.valueOf(r.getString("status").toUpperCase()),
                            instant(r, "changed_at"), r.getString("reason")));
                });
    }

    public static Uni<Void> saveHealth(SqlConnection conn, UUID deviceId, UUID org, HealthStatus status,
            Instant changedAt, String reason) {
        return conn.preparedQuery("INSERT INTO device_health (device_id, organization_id, status, changed_at, reason) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET status = EXCLUDED.status, "
                + "changed_at = EXCLUDED.changed_at, reason = EXCLUDED.reason, organization_id = EXCLUDED.organization_id")
                .execute(tuple(deviceId, org, status.jsonName(), odt(changedAt), reason)).replaceWithVoid();
    }
}
