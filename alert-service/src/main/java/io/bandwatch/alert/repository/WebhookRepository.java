package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.AlertNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Webhooks of organizations, their deliveries (one per webhook and notification) and the attempts of each. */
@ApplicationScoped
public class WebhookRepository {

    /** A webhook; its secret never leaves this class except to the dispatcher ({@link Due}). */
    public record Webhook(UUID id, UUID organizationId, String url, boolean active, Instant createdAt) {
    }

    /** A delivery with its attempts, newest attempt last. */
    public record Delivery(UUID id, UUID webhookId, UUID notificationId, String status, int attempts,
            Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt, Instant createdAt,
            List<Attempt> attemptLog) {
    }

    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMs) {
    }

    /** A delivery due now, with its webhook; {@code secret} as stored (SecretBox ciphertext when {@code encrypted}). */
    public record Due(UUID id, UUID notificationId, int attempts, UUID webhookId, String url, String secret,
            boolean encrypted) {
    }

    /** A webhook's secret as stored before secrets were encrypted (V3). */
    public record PlainSecret(UUID webhookId, String secret) {
    }

    private static Webhook webhook(Row r) {
        return new Webhook(r.getUUID("id"), r.getUUID("organization_id"), r.getString("url"), r.getBoolean("active"),
                instant(r, "created_at"));
    }

    /** Webhooks of these organizations (null: all), oldest first. */
    public Uni<List<Webhook>> list(SqlClient conn, Collection<UUID> orgs) {
        return conn.preparedQuery("SELECT * FROM webhook WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "ORDER BY created_at").execute(tuple((Object) (orgs == null ? null : orgs.toArray(UUID[]::new))))
                .map(rs -> {
                    List<Webhook> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(webhook(r));
                    }
                    return list;
                });
    }

    public Uni<Optional<Webhook>> find(SqlClient conn, UUID id) {
        return conn.preparedQuery("SELECT * FROM webhook WHERE id = $1").execute(tuple(id))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(webhook(rs.iterator().next())));
    }

    /** Inserts a webhook whose secret is already sealed. */
    public Uni<Webhook> insert(SqlClient conn, UUID id, UUID org, String url, String sealedSecret, boolean active) {
        return conn.preparedQuery("INSERT INTO webhook (id, organization_id, url, secret, secret_encrypted, active) "
                + "VALUES ($1, $2, $3, $4, true, $5) RETURNING *").execute(tuple(id, org, url, sealedSecret, active))
                .map(rs -> webhook(rs.iterator().next()));
    }

    /** Deletes a webhook with its deliveries and their attempts. */
    public Uni<Void> delete(SqlClient conn, UUID id) {
        return conn.preparedQuery("DELETE FROM webhook WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** The newest deliveries of a webhook with every attempt. */
    public Uni<List<Delivery>> deliveries(SqlClient conn, UUID webhookId, int limit) {
        return conn.preparedQuery("SELECT d.*, a.attempt, a.at, a.status_code, a.error, a.duration_ms "
                + "FROM (SELECT * FROM webhook_delivery WHERE webhook_id = $1 ORDER BY created_at DESC LIMIT $2) d "
                + "LEFT JOIN webhook_attempt a ON a.delivery_id = d.id ORDER BY d.created_at DESC, d.id, a.attempt")
                .execute(tuple(webhookId, limit))
                .map(rs -> {
                    Map<UUID, Delivery> byId = new LinkedHashMap<>();
                    for (Row r : rs) {
                        Delivery d = byId.computeIfAbsent(r.getUUID("id"), k -> new Delivery(k,
                                r.getUUID("webhook_id"), r.getUUID("notification_id"), r.getString("status"),
                                r.getInteger("attempts"), instant(r, "next_attempt_at"), r.getInteger("last_status_code"),
                                r.getString("last_error"), instant(r, "delivered_at"), instant(r, "created_at"),
                                new ArrayList<>()));
                        if (r.getInteger("attempt") != null) {
                            d.attemptLog().add(new Attempt(r.getInteger("attempt"), instant(r, "at"),
                                    r.getInteger("status_code"), r.getString("error"), r.getLong("duration_ms")));
                        }
                    }
                    return List.copyOf(byId.values());
                });
    }

    /** A delivery per active webhook of each notification's organization, in one statement. */
    public Uni<Void> queueDeliveries(SqlClient conn, List<AlertNotification> notifications) {
        UUID[] ids = new UUID[notifications.size()];
        UUID[] orgs = new UUID[notifications.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = notifications.get(i).eventId();
            orgs[i] = notifications.get(i).organizationId();
        }
        return conn.preparedQuery("INSERT INTO webhook_delivery (id, webhook_id, notification_id) "
                + "SELECT gen_random_uuid(), w.id, n.id FROM unnest($1::uuid[], $2::uuid[]) AS n(id, org) "
                + "JOIN webhook w ON w.organization_id = n.org AND w.active "
                + "ON CONFLICT (webhook_id, notification_id) DO NOTHING")
                .execute(tuple(ids, orgs)).replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code leaseSeconds} (their next attempt moves that far, so that
     * another round or replica does not take them meanwhile).
     */
    public Uni<List<Due>> claimDue(SqlClient conn, int limit, double leaseSeconds) {
        return conn.preparedQuery("UPDATE webhook_delivery d SET next_attempt_at = now() + make_interval(secs => $2) "
                + "FROM webhook w WHERE d.webhook_id = w.id AND d.id IN (SELECT id FROM webhook_delivery "
                + "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 "
                + "FOR UPDATE SKIP LOCKED) RETURNING d.id, d.notification_id, d.attempts, w.id AS webhook_id, w.url, w.secret, "
                + "w.secret_encrypted")
                .execute(tuple(limit, leaseSeconds))
                .map(rs -> {
                    List<Due> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(new Due(r.getUUID("id"), r.getUUID("notification_id"), r.getInteger("attempts"),
                                r.getUUID("webhook_id"), r.getString("url"), r.getString("secret"),
                                r.getBoolean("secret_encrypted")));
                    }
                    return list;
                });
    }

    /** Logs an attempt and sets the delivery's status and next attempt. */
    public Uni<Void> recordAttempt(SqlClient conn, UUID deliveryId, int attempt, Integer statusCode, String error,
            long millis, String status, double delaySeconds, boolean delivered) {
        return conn.preparedQuery("INSERT INTO webhook_attempt (delivery_id, attempt, status_code, "
                + "error, duration_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(tuple(deliveryId, attempt, statusCode, error, millis))
                .chain(() -> conn.preparedQuery("UPDATE webhook_delivery SET attempts = $2, status = $3, "
                        + "last_status_code = $4, last_error = $5, next_attempt_at = now() + make_interval(secs => $6), "
                        + "delivered_at = CASE WHEN $7 THEN now() ELSE NULL END WHERE id = $1")
                        .execute(tuple(deliveryId, attempt, status, statusCode, error, delaySeconds, delivered)))
                .replaceWithVoid();
    }

    /** Secrets still stored in plain text. */
    public Uni<List<PlainSecret>> plainSecrets(SqlClient conn) {
        return conn.query("SELECT id, secret FROM webhook WHERE NOT secret_encrypted").execute().map(rs -> {
            List<PlainSecret> list = new ArrayList<>();
            for (Row r : rs) {
                list.add(new PlainSecret(r.getUUID("id"), r.getString("secret")));
            }
            return list;
        });
    }

    /** Replaces a plain secret by its sealed form (unless that happened meanwhile). */
    public Uni<Void> sealSecret(SqlClient conn, UUID webhookId, String sealed) {
        return conn.preparedQuery("UPDATE webhook SET secret = $2, secret_encrypted = true WHERE id = $1 "
                + "AND NOT secret_encrypted").execute(tuple(webhookId, sealed)).replaceWithVoid();
    }
}
