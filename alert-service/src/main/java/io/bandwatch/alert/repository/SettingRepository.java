package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.odt;
import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.evaluation.SettingState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Alert settings and their evaluation state. */
@ApplicationScoped
public class SettingRepository {

    /** Every setting (active or not) of these devices. */
    public Uni<List<Setting>> ofDevices(SqlClient conn, UUID[] deviceIds) {
        return conn.preparedQuery("SELECT * FROM alert_setting WHERE device_id = ANY($1)")
                .execute(tuple((Object) deviceIds)).map(AlertStore::settings);
    }

    /** Writes the states of these settings in one statement; the number of settings written. */
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
}
