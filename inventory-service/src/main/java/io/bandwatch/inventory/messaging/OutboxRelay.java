package io.bandwatch.inventory.messaging;

import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventType;
import io.bandwatch.inventory.config.InventoryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka: one relay thread reads unsent rows in id order, sends them with an
 * idempotent producer ({@code acks=all}, one request in flight, so records of a key keep their order even
 * across retries), waits for the broker's acknowledgement and only then marks the rows sent. On the first
 * failure it stops, drops the producer and retries from the first unsent row after the poll interval: a
 * broker outage delays events but never loses or reorders them (a row may be sent twice after a crash
 * between ack and mark; consumers are idempotent by {@code ce_id}). The state is the table, so a restart
 * resumes where it stopped.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    InventoryConfig config;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile String bootstrapOverride;
    private volatile boolean paused;
    private volatile ScheduledExecutorService executor;
    private Producer<String, byte[]> producer;
    private String producerBootstrap;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean lastPassFailed;

    void start(@Observes StartupEvent event) {
        registry.more().counter("bandwatch.outbox.sent", java.util.List.of(), sent);
        registry.more().counter("bandwatch.outbox.send.failures", java.util.List.of(), failures);
        if (!config.outbox().enabled()) {
            LOG.info("outbox relay disabled (bandwatch.outbox.enabled=false)");
            return;
        }
        startRelay();
    }

    /** Starts the relay thread (at start-up; again after {@link #stopRelay()}). */
    public synchronized void startRelay() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
        });
        long interval = config.outbox().pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::passSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        stopRelay();
    }

    /** Stops the relay thread and drops the producer; unsent rows wait in the table. */
    public synchronized void stopRelay() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        closeProducer();
    }

    /**
     * Points the relay at other brokers from the next pass on (null: back to {@code kafka.bootstrap.servers}).
     * For operations and tests that simulate a broker outage.
     */
    public void overrideBootstrapServers(String servers) {
        bootstrapOverride = servers;
    }

    public void pause(boolean paused) {
        this.paused = paused;
    }

    public long sentCount() {
        return sent.get();
    }

    public long failureCount() {
        return failures.get();
    }

    public boolean lastPassFailed() {
        return lastPassFailed;
    }

    private void passSafely() {
        if (paused) {
            return;
        }
        try {
            while (pass() == config.outbox().batchSize()) {
                // full batch: go on at once
            }
            lastPassFailed = false;
        } catch (Exception e) {
            failures.incrementAndGet();
            lastPassFailed = true;
            LOG.warnf("outbox relay: send failed, retrying in %s: %s", config.outbox().pollInterval(), e.toString());
            closeProducer();
        }
    }

    private record Pending(long id, String eventId, String topic, String key, String type, String payload,
            OffsetDateTime createdAt) {
    }

    /** One pass: sends up to a batch of unsent rows in id order; returns how many were sent. */
    int pass() throws Exception {
        Duration dbTimeout = Duration.ofSeconds(10);
        List<Pending> rows = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT id, event_id, topic, event_key, event_type, payload::text AS payload, "
                + "created_at FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT $1")
                .execute(Tuple.of(config.outbox().batchSize())).await().atMost(dbTimeout)) {
            rows.add(new Pending(row.getLong("id"), row.getUUID("event_id").toString(), row.getString("topic"),
                    row.getString("event_key"), row.getString("event_type"), row.getString("payload"),
                    row.getOffsetDateTime("created_at")));
        }
        if (rows.isEmpty()) {
            return 0;
        }
        Producer<String, byte[]> p = producer();
        List<Future<?>> acks = new ArrayList<>(rows.size());
        for (Pending row : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(),
                    row.payload() == null ? null : row.payload().getBytes(StandardCharsets.UTF_8));
            if (row.payload() != null) {
                EventType type = EventType.ofCeType(row.type()).orElse(null);
                if (type != null) {
                    CloudEventHeaders.of(type, row.eventId(), config.eventSource(), row.createdAt().toInstant())
                            .forEach((name, value) -> record.headers().add(name, value));
                }
            }
            Future<?> ack = p.send(record);
            acks.add(ack);
            if (ack.isDone() && failed(ack)) {
                break; // no metadata (broker unreachable): do not block once more per remaining row
            }
        }
        long timeout = config.outbox().sendTimeout().toMillis() + 5_000;
        List<Long> done = new ArrayList<>();
        Exception failure = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(timeout, TimeUnit.MILLISECONDS);
                done.add(rows.get(i).id());
            } catch (Exception e) {
                failure = e;
                break; // rows after the first failure stay unsent: order per key is kept
            }
        }
        if (!done.isEmpty()) {
            pool.preparedQuery("UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1)")
                    .execute(Tuple.of(done.toArray(new Long[0]))).await().atMost(dbTimeout);
            sent.addAndGet(done.size());
        }
        if (failure != null) {
            throw failure;
        }
        return rows.size();
    }

    private static boolean failed(Future<?> ack) {
        try {
            ack.get();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        String wanted = bootstrapOverride != null ? bootstrapOverride : bootstrapServers;
        if (producer != null && !wanted.equals(producerBootstrap)) {
            closeProducer();
        }
        if (producer == null) {
            producerBootstrap = wanted;
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, wanted);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "inventory-outbox-relay");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            int timeout = (int) config.outbox().sendTimeout().toMillis();
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 5_000));
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private synchronized void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("closing the relay producer: %s", e.toString());
            }
            producer = null;
        }
    }
}
