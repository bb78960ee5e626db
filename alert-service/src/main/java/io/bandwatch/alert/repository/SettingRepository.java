package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.alert.evaluation.AlertStatus;
import io.bandwatch.alert.evaluation.DefaultSetting;
import io.bandwatch.alert.evaluation.SettingState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Alert settings (one per metric field of a check) and their evaluation state. */
@ApplicationScoped
public class SettingRepository {

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

    public Uni<Optional<Setting>> find(SqlClient conn, UUID id, boolean forUpdate) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(setting(rs.iterator().next())));
    }

    /** Every setting of a device, in the order health reasons name them. */
    public Uni<List<Setting>> ofDevice(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE device_id = $1 ORDER BY check_id, field")
                .execute(tuple(deviceId)).map(SettingRepository::settings);
    }

    /** Every setting (active or not) of these devices. */
    public Uni<List<Setting>> ofDevices(SqlClient conn, UUID[] deviceIds) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE device_id = ANY($1)")
                .execute(tuple((Object) deviceIds)).map(SettingRepository::settings);
    }

    /** Settings visible to the caller (orgs null = all), optionally of one device or check. */
    public Uni<List<Setting>> list(SqlClient conn, Collection<UUID> orgs, UUID deviceId, UUID checkId) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "AND ($2::uuid IS NULL OR device_id = $2) AND ($3::uuid IS NULL OR check_id = $3) "
                + "ORDER BY device_id, check_id, field LIMIT 1000")
                .execute(tuple(orgs == null ? null : orgs.toArray(UUID[]::new), deviceId, checkId))
                .map(SettingRepository::settings);
    }

    /** Ids of devices with an active setting in problem (on a field, of an organization, of readable ones: each optional). */
    public Uni<List<UUID>> devicesInProblem(SqlClient conn, String field, UUID org, Collection<UUID> readable, int limit) {
        return conn.preparedQuery("SELECT DISTINCT device_id FROM alert_setting WHERE active AND status = 'problem' "
                + "AND ($1::text IS NULL OR field = $1) AND ($2::uuid IS NULL OR organization_id = $2) "
                + "AND ($3::uuid[] IS NULL OR organization_id = ANY($3)) ORDER BY device_id LIMIT $4")
                .execute(tuple(field, org, readable == null ? null : readable.toArray(UUID[]::new), limit))
                .map(rs -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row r : rs) {
                        ids.add(r.getUUID("device_id"));
                    }
                    return ids;
                });
    }

    /** Inserts a setting; false when the check already has one for that field. */
    public Uni<Boolean> insert(SqlClient conn, Setting s) {
        return conn.preparedQuery("INSERT INTO alert_setting (id, organization_id, device_id, check_id, check_type, field, "
                + "operator, threshold, tolerance_seconds, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                + "ON CONFLICT (check_id, field) DO NOTHING")
                .execute(tuple(s.id(), s.organizationId(), s.deviceId(), s.checkId(), s.checkType().jsonName(), s.field(),
                        s.operator().symbol(), s.threshold(), s.tolerance().getSeconds(), s.active()))
                .map(rs -> rs.rowCount() == 1);
    }

    /** Inserts the default settings of a check that it has not yet (per field); idempotent. */
    public Uni<Void> insertDefaults(SqlClient conn, CheckRepository.CheckRef check, List<DefaultSetting> defaults) {
        if (defaults.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (DefaultSetting d : defaults) {
            rows.add(tuple(UUID.randomUUID(), check.organizationId(), check.deviceId(), check.id(),
                    check.type().jsonName(), d.field(), d.operator().symbol(), d.threshold(), d.tolerance().getSeconds(),
                    d.active()));
        }
        return conn.preparedQuery("INSERT INTO alert_setting (id, organization_id, device_id, check_id, check_type, "
                + "field, operator, threshold, tolerance_seconds, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                + "ON CONFLICT (check_id, field) DO NOTHING").executeBatch(rows).replaceWithVoid();
    }

    /** Writes the definition and the state of a setting. */
    public Uni<Void> update(SqlClient conn, Setting s) {
        SettingState st = s.state();
        return conn.preparedQuery("UPDATE alert_setting SET operator = $2, threshold = $3, tolerance_seconds = $4, "
                + "active = $5, status = $6, first_crossing_at = $7, crossing_points = $8, last_point_at = $9, "
                + "last_value = $10, updated_at = now() WHERE id = $1")
                .execute(tuple(s.id(), s.operator().symbol(), s.threshold(), s.tolerance().getSeconds(), s.active(),
                        st.status().jsonName(), odt(st.firstCrossingAt()), st.crossingPoints(), odt(st.lastPointAt()),
                        st.lastValue()))
                .replaceWithVoid();
    }

    /** Writes the states of these settings in one statement (evaluation); the number of settings written. */
    public Uni<Integer> updateStates(SqlClient conn, Collection<Setting> settings) {
        int n = settings.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        OffsetDateTime[] firsts = new OffsetDateTime[n];
        Integer[] points = new Integer[n];
        OffsetDateTime[] lasts = new OffsetDateTime[n];
        Double[] values = new Double[n];
        int i = 0;
        for (Setting s : settings) {
            SettingState st = s.state();
            ids[i] = s.id();
            statuses[i] = st.status().jsonName();
            firsts[i] = odt(st.firstCrossingAt());
            points[i] = st.crossingPoints();
            lasts[i] = odt(st.lastPointAt());
            values[i] = st.lastValue();
            i++;
        }
        return conn.preparedQuery("UPDATE alert_setting AS s SET status = u.status, first_crossing_at = u.first_crossing_at, "
                + "crossing_points = u.crossing_points, last_point_at = u.last_point_at, last_value = u.last_value "
                + "FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::timestamptz[], $6::float8[]) "
                + "AS u(id, status, first_crossing_at, crossing_points, last_point_at, last_value) WHERE s.id = u.id")
                .execute(tuple(ids, statuses, firsts, points, lasts, values)).map(rs -> rs.rowCount());
    }

    public Uni<Void> delete(SqlClient conn, UUID id) {
        return conn.preparedQuery("DELETE FROM alert_setting WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    public Uni<Void> deleteOfCheck(SqlClient conn, UUID checkId) {
        return conn.preparedQuery("DELETE FROM alert_setting WHERE check_id = $1").execute(tuple(checkId))
                .replaceWithVoid();
    }

    public Uni<Void> deleteOfDevice(SqlClient conn, UUID deviceId) {
        return conn.preparedQuery("DELETE FROM alert_setting WHERE device_id = $1").execute(tuple(deviceId))
                .replaceWithVoid();
    }
}
