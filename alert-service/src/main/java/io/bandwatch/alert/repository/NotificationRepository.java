package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.odt;
import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.events.AlertNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Problem and recovery notifications (id = event id, derived from setting, type and point time). */
@ApplicationScoped
public class NotificationRepository {

    /** Inserts the notifications in one statement; the ids of those that did not exist yet. */
    public Uni<Set<UUID>> insertAll(SqlClient conn, List<AlertNotification> notifications) {
        int n = notifications.size();
        UUID[] ids = new UUID[n];
        UUID[] orgs = new UUID[n];
        UUID[] devices = new UUID[n];
        UUID[] checks = new UUID[n];
        UUID[] settings = new UUID[n];
        String[] types = new String[n];
        String[] fields = new String[n];
        String[] operators = new String[n];
        Double[] thresholds = new Double[n];
        Long[] tolerances = new Long[n];
        Double[] values = new Double[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            AlertNotification x = notifications.get(i);
            ids[i] = x.eventId();
            orgs[i] = x.organizationId();
            devices[i] = x.deviceId();
            checks[i] = x.checkId();
            settings[i] = x.alertSettingId();
            types[i] = x.type().jsonName();
            fields[i] = x.field();
            operators[i] = x.operator().symbol();
            thresholds[i] = x.threshold();
            tolerances[i] = x.tolerance().getSeconds();
            values[i] = x.value();
            times[i] = odt(x.time());
            messages[i] = x.message();
        }
        return conn.preparedQuery("INSERT INTO notification (id, organization_id, device_id, check_id, alert_setting_id, "
                + "type, field, operator, threshold, tolerance_seconds, value, time, message) "
                + "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], "
                + "$8::text[], $9::float8[], $10::bigint[], $11::float8[], $12::timestamptz[], $13::text[]) "
                + "ON CONFLICT (id) DO NOTHING RETURNING id")
                .execute(tuple(ids, orgs, devices, checks, settings, types, fields, operators, thresholds, tolerances,
                        values, times, messages))
                .map(rs -> {
                    Set<UUID> inserted = new HashSet<>();
                    for (Row r : rs) {
                        inserted.add(r.getUUID(0));
                    }
                    return inserted;
                });
    }
}
