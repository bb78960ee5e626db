package io.bandwatch.alert.service;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relays committed outbox rows to Kafka in id order ({@code alert.notifications}, {@code devices.health}; a row
 * without payload is a tombstone),
 * marking each sent once the broker acknowledged it. Publishing is at least once: a crash between the ack and
 * the mark sends a row again with the same event id ({@code ce_id}), which consumers deduplicate. Runs every
 * {@code bandwatch.alert.outbox.poll-interval} and right after a transaction that raised notifications.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    Pool pool;

    @Inject
    AlertConfig config;

    /** Resolved on first use, once the messaging channels are wired (the scheduler may start before). */
    @Inject
    Instance<Emitters> emitters;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean started;

    /** The emitters of the two output channels (channel name = topic); a singleton, so no client proxy. */
    @jakarta.inject.Singleton
    public static class Emitters {
        @Inject
        @Channel(Topics.ALERT_NOTIFICATIONS)
        MutinyEmitter<AlertNotification> notifications;

        /** {@link DeviceHealth} events, and {@link Record}s with a null value for tombstones. */
        @Inject
        @Channel(Topics.DEVICES_HEALTH)
        MutinyEmitter<Object> health;
    }

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    private record Row0(long id, String topic, UUID key, String payload) {
    }

    /** Relays soon, off the caller's thread. */
    public void wakeUp() {
        Infrastructure.getDefaultWorkerPool().execute(this::relayQuietly);
    }

    @Scheduled(every = "${bandwatch.alert.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        relayQuietly();
    }

    void relayQuietly() {
        try {
            relay();
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay round failed, retrying on the next round: %s", e.toString());
        }
    }

    /** One round; the number of rows sent. Blocking: call from a worker thread. */
    public int relay() {
        if (!started || !running.compareAndSet(false, true)) {
            return 0;
        }
        try {
            int total = 0;
            while (true) {
                List<Row0> rows = pool.preparedQuery("SELECT id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL "
                        + "ORDER BY id LIMIT $1").execute(tuple(config.outbox().batchSize()))
                        .map(rs -> {
                            List<Row0> list = new ArrayList<>();
                            for (Row r : rs) {
                                list.add(new Row0(r.getLong("id"), r.getString("topic"), r.getUUID("event_key"),
                                        r.getString("payload")));
                            }
                            return list;
                        }).await().atMost(config.dbTimeout());
                if (rows.isEmpty()) {
                    return total;
                }
                // the round's sends go out together (the producer batches them); rows are marked once all are acked
                List<Uni<Void>> sends = new ArrayList<>();
                for (Row0 row : rows) {
                    sends.add(send(row));
                }
                Uni.join().all(sends).andFailFast().await().atMost(config.outbox().sendTimeout());
                Long[] ids = rows.stream().map(Row0::id).toArray(Long[]::new);
                pool.preparedQuery("UPDATE outbox SET sent_at = now() WHERE id = ANY($1)").execute(tuple((Object) ids))
                        .await().atMost(config.dbTimeout());
                total += rows.size();
            }
        } finally {
            running.set(false);
        }
    }

    private Uni<Void> send(Row0 row) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(row.key().toString()).build();
        return switch (row.topic()) {
            case Topics.ALERT_NOTIFICATIONS -> emitters.get().notifications.sendMessage(
                    Message.of(EventJson.read(row.payload(), AlertNotification.class)).addMetadata(key));
            case Topics.DEVICES_HEALTH -> row.payload() == null
                    // a tombstone: the Kafka connector sends a Record's key and (null) value as they are
                    ? emitters.get().health.sendMessage(Message.of(Record.of(row.key().toString(), null)))
                    : emitters.get().health.sendMessage(
                            Message.of(EventJson.read(row.payload(), DeviceHealth.class)).addMetadata(key));
            default -> throw new IllegalStateException("outbox row " + row.id() + " for unknown topic " + row.topic());
        };
    }
}
