package io.bandwatch.alert.service;


import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.events.EventJson;
import io.bandwatch.alert.repository.NotificationRepository;
import io.bandwatch.alert.repository.WebhookRepository;
import io.bandwatch.alert.repository.WebhookRepository.Due;
import io.bandwatch.platform.security.SecretBox;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
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

    @Inject
    WebhookRepository webhooks;

    @Inject
    NotificationRepository notifications;

    /**
     * Rows written before secrets were encrypted (V3) are encrypted at start; until then, and if that fails,
     * they are still used as they are.
     */
    void encryptLegacySecrets(@Observes StartupEvent event) {
        try {
            List<WebhookRepository.PlainSecret> legacy = webhooks.plainSecrets(pool).await().atMost(config.dbTimeout());
            for (WebhookRepository.PlainSecret p : legacy) {
                webhooks.sealSecret(pool, p.webhookId(), secrets.encrypt(p.secret(), SecretBox.context("webhook", p.webhookId())))
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
        List<Due> due = webhooks.claimDue(pool, config.webhook().batchSize(), (double) lease.getSeconds())
                .await().atMost(config.dbTimeout());
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
            body = notifications.find(pool, d.notificationId()).await().atMost(config.dbTimeout())
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
        pool.withTransaction(conn -> webhooks.recordAttempt(conn, r.due().id(), attempt, r.statusCode(), error,
                r.millis(), status, delaySeconds, r.ok())).await().atMost(config.dbTimeout());
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
