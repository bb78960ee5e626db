package io.bandwatch.alert.service;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.events.EventJson;
import io.bandwatch.alert.repository.AlertStore;
import io.bandwatch.platform.security.SecretBox;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.bandwatch.alert.webhook.WebhookTargets;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Delivers notifications to webhooks from the {@code webhook_delivery} table, never from the evaluation
 * path: a slow or failing receiver only delays its own deliveries. Each round claims due deliveries (moving
 * {@code next_attempt_at} forward as a lease, {@code FOR UPDATE SKIP LOCKED} so replicas share the work),
 * POSTs them concurrently with a timeout, records every attempt, and reschedules failures with exponential
 * back-off until {@code max-attempts}, after which the delivery is {@code failed}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    Pool pool;

    @Inject
    AlertConfig config;

    @Inject
    SecretBox secrets;

    @Inject
    WebhookTargets targets;

    /**
     * Rows written before secrets were encrypted (V3) are encrypted at start; until then, and if that fails,
     * they are still used as they are.
     */
    void encryptLegacySecrets(@Observes StartupEvent event) {
        try {
            List<Row> legacy = new ArrayList<>();
            pool.query("SELECT id, secret FROM webhook WHERE NOT secret_encrypted").execute()
                    .await().atMost(config.dbTimeout()).forEach(legacy::add);
            for (Row r : legacy) {
                UUID id = r.getUUID("id");
                pool.preparedQuery("UPDATE webhook SET secret = $2, secret_encrypted = true "
                        + "WHERE id = $1 AND NOT secret_encrypted")
                        .execute(tuple(id, secrets.encrypt(r.getString("secret"), SecretBox.context("webhook", id))))
                        .await().atMost(config.dbTimeout());
            }
            if (!legacy.isEmpty()) {
                LOG.infof("encrypted %d plain-text webhook secret(s) at rest", legacy.size());
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not encrypt plain-text webhook secrets, retried at the next start: %s", e.toString());
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "webhook-http");
        t.setDaemon(true);
        return t;
    });

    private volatile HttpClient http;

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** {@code secret} as stored: a SecretBox ciphertext when {@code encrypted}, else a legacy plain value. */
    private record Due(UUID id, UUID notificationId, int attempts, UUID webhookId, String url, String secret,
            boolean encrypted) {
    }

    private record Result(Due due, Integer statusCode, String error, long millis) {
        boolean ok() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    @Scheduled(every = "${bandwatch.alert.webhook.poll-interval:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            LOG.warnf("webhook round failed, retrying on the next round: %s", e.toString());
        }
    }

    /** One round; the number of attempts made. Blocking: call from a worker thread. */
    public int deliverDue() {
        Duration lease = config.webhook().timeout().multipliedBy(3);
        List<Due> due = pool.preparedQuery("UPDATE webhook_delivery d SET next_attempt_at = now() + make_interval(secs => $2) "
                + "FROM webhook w WHERE d.webhook_id = w.id AND d.id IN (SELECT id FROM webhook_delivery "
                + "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 "
                + "FOR UPDATE SKIP LOCKED) RETURNING d.id, d.notification_id, d.attempts, w.id AS webhook_id, w.url, w.secret, "
                + "w.secret_encrypted")
                .execute(tuple(config.webhook().batchSize(), (double) lease.getSeconds()))
                .map(rs -> {
                    List<Due> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(new Due(r.getUUID("id"), r.getUUID("notification_id"), r.getInteger("attempts"),
                                r.getUUID("webhook_id"), r.getString("url"), r.getString("secret"),
                                r.getBoolean("secret_encrypted")));
                    }
                    return list;
                }).await().atMost(config.dbTimeout());
        if (due.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Result>> attempts = new ArrayList<>();
        for (Due d : due) {
            attempts.add(attempt(d));
        }
        for (CompletableFuture<Result> f : attempts) {
            record(f.join());
        }
        return due.size();
    }

    private CompletableFuture<Result> attempt(Due d) {
        long start = System.nanoTime();
        byte[] body;
        try {
            body = AlertStore.notification(pool, d.notificationId()).await().atMost(config.dbTimeout())
                    .map(row -> EventJson.write(row.notification()))
                    .orElseThrow(() -> new IllegalStateException("notification " + d.notificationId() + " is gone"));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Result(d, null, e.getMessage(), 0));
        }
        String secret;
        try {
            secret = d.encrypted() ? secrets.decrypt(d.secret(), SecretBox.context("webhook", d.webhookId())) : d.secret();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Result(d, null, "secret: " + e.getMessage(), 0));
        }
        URI target;
        try {
            target = targets.checkDelivery(d.url());
        } catch (WebhookTargets.RefusedTarget e) {
            return CompletableFuture.completedFuture(new Result(d, null, e.getMessage(), 0));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(target).timeout(config.webhook().timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "bandwatch-alert-service")
                    .header(Signatures.HEADER, Signatures.sign(secret, body))
                    .header("X-Bandwatch-Event-Id", d.notificationId().toString())
                    .header("X-Bandwatch-Delivery", d.id().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Result(d, null, "bad URL: " + e.getMessage(), 0));
        }
        return http().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (error != null) {
                        return new Result(d, null, failure(error.getCause() != null ? error.getCause() : error), millis);
                    }
                    return new Result(d, response.statusCode(), response.statusCode() / 100 == 2 ? null
                            : "HTTP " + response.statusCode(), millis);
                });
    }

    /**
     * A failed attempt as the delivery log shows it: what kind of failure, never the receiver's or the network's own
     * words (which would let a tenant read what answers at an address).
     */
    static String failure(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (cause instanceof ConnectException) {
            return "could not connect";
        }
        return "connection failed";
    }

    private void record(Result r) {
        int attempt = r.due().attempts() + 1;
        String status;
        Duration delay = Duration.ZERO;
        if (r.ok()) {
            status = "delivered";
        } else if (attempt >= config.webhook().maxAttempts()) {
            status = "failed";
        } else {
            status = "pending";
            delay = backoff(config.webhook().initialBackoff(), config.webhook().maxBackoff(), attempt);
        }
        String error = r.error() == null ? null : r.error().length() > 500 ? r.error().substring(0, 500) : r.error();
        double delaySeconds = delay.toMillis() / 1000.0;
        pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO webhook_attempt (delivery_id, attempt, status_code, "
                + "error, duration_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(tuple(r.due().id(), attempt, r.statusCode(), error, r.millis()))
                .chain(() -> conn.preparedQuery("UPDATE webhook_delivery SET attempts = $2, status = $3, "
                        + "last_status_code = $4, last_error = $5, next_attempt_at = now() + make_interval(secs => $6), "
                        + "delivered_at = CASE WHEN $7 THEN now() ELSE NULL END WHERE id = $1")
                        .execute(tuple(r.due().id(), attempt, status, r.statusCode(), error, delaySeconds, r.ok()))))
                .await().atMost(config.dbTimeout());
        if (!r.ok()) {
            LOG.infof("webhook delivery %s attempt %d failed (%s): %s", r.due().id(), attempt, error, status);
        }
    }

    /** initial × 2^(attempt-1), at most max. */
    public static Duration backoff(Duration initial, Duration max, int attempt) {
        Duration d = initial;
        for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
