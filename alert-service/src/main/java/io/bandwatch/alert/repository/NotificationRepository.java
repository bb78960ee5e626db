package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import static io.bandwatch.platform.sql.SqlValues.instant;

import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.NotificationType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Problem and recovery notifications (id = event id, derived from setting, type and point time). */
@ApplicationScoped
public class NotificationRepository {

    /** The primary key of {@code notification}: a second row with a recorded id violates it. */
    public static final String PRIMARY_KEY = "notification_pkey";

    private static final String INSERT = "INSERT INTO notification (id, organization_id, device_id, check_id, "
            + "alert_setting_id, type, field, operator, threshold, tolerance_seconds, value, time, message) "
            + "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], "
            + "$8::text[], $9::float8[], $10::bigint[], $11::float8[], $12::timestamptz[], $13::text[])";

    /**
     * Inserts the notifications in one statement; those that were not recorded yet, in list order.
     *
     * @param skipRecorded false: a plain insert, which fails with a unique violation of {@link #PRIMARY_KEY} when
     *                     one of the ids was recorded before (the caller rolls back and asks again with true); true:
     *                     {@code ON CONFLICT DO NOTHING}, which leaves recorded ids out. The plain insert is the cheap
     *                     one (no speculative insertion: about a quarter of the statement's time, alert README); a
     *                     recorded id is rare, since the evaluation ignores points at or before a setting's last one.
     */
    public Uni<List<AlertNotification>> insertAll(SqlClient conn, List<AlertNotification> notifications,
            boolean skipRecorded) {
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
        Tuple rows = tuple(ids, orgs, devices, checks, settings, types, fields, operators, thresholds, tolerances,
                values, times, messages);
        if (!skipRecorded) {
            return conn.preparedQuery(INSERT).execute(rows).replaceWith(notifications);
        }
        return conn.preparedQuery(INSERT + " ON CONFLICT (id) DO NOTHING RETURNING id").execute(rows)
                .map(rs -> {
                    Set<UUID> inserted = new HashSet<>();
                    for (Row r : rs) {
                        inserted.add(r.getUUID(0));
                    }
                    return notifications.stream().filter(x -> inserted.contains(x.eventId())).toList();
                });
    }

    /** A stored notification, with whether it was read. */
    public record NotificationRow(AlertNotification notification, boolean read, Instant createdAt) {
    }

    static NotificationRow row(Row r) {
        return new NotificationRow(new AlertNotification(r.getUUID("id"), r.getUUID("organization_id"),
                r.getUUID("device_id"), r.getUUID("check_id"), r.getUUID("alert_setting_id"),
                NotificationType.valueOf(r.getString("type").toUpperCase(Locale.ROOT)), r.getString("field"),
                Rows.operator(r.getString("operator")), r.getDouble("threshold"),
                Duration.ofSeconds(r.getLong("tolerance_seconds")), r.getDouble("value"), instant(r, "time"),
                r.getString("message")), r.getBoolean("read"), instant(r, "created_at"));
    }

    public Uni<Optional<NotificationRow>> find(SqlClient conn, UUID id) {
        return conn.preparedQuery("SELECT * FROM notification WHERE id = $1").execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(row(rs.iterator().next())));
    }

    /** Newest first; orgs null = all. */
    public Uni<List<NotificationRow>> list(SqlClient conn, Collection<UUID> orgs, UUID deviceId, String type,
            Boolean unread, int limit, int offset) {
        return conn.preparedQuery("SELECT * FROM notification WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "AND ($2::uuid IS NULL OR device_id = $2) AND ($3::text IS NULL OR type = $3) "
                + "AND ($4::boolean IS NULL OR read = NOT $4) ORDER BY time DESC, id LIMIT $5 OFFSET $6")
                .execute(tuple(orgs == null ? null : orgs.toArray(UUID[]::new), deviceId, type, unread, limit, offset))
                .map(rs -> {
                    List<NotificationRow> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(row(r));
                    }
                    return list;
                });
    }

    public Uni<Void> markRead(SqlClient conn, UUID id) {
        return conn.preparedQuery("UPDATE notification SET read = true WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }
}
