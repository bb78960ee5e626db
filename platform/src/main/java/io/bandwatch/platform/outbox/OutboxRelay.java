package io.bandwatch.platform.outbox;

import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventType;
import io.bandwatch.platform.messaging.KafkaClientSecurity;
import io.bandwatch.platform.tracing.Traces;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.jboss.logging.Logger;

/**
 * Publishes the {@code outbox} table to Kafka, safely with any number of replicas of the service.
 *
 * <p>One pass is one database transaction on one connection: it takes the transaction-scoped advisory lock
 * {@link #LOCK_KEY} with {@code pg_try_advisory_xact_lock} (another replica holding it: the pass ends at once and
 * sends nothing), reads up to a batch of unsent rows in id order, sends them with an idempotent producer
 * ({@code acks=all}, one request in flight, so records of one key keep their order even across retries), waits
 * for the broker's acknowledgements, marks the acknowledged rows sent and commits, which releases the lock. So
 * only one relay sends at a time, rows leave in id order (per key the commit order, see {@link Outbox}), and a row
 * is marked sent only after Kafka acknowledged it. On the first failed send the rows from there on stay unsent
 * (a later row of the key never overtakes an earlier one), the producer is dropped and the next pass, after the
 * poll interval, starts again from the first unsent row. Delivery is at least once: a crash between the
 * acknowledgement and the commit sends those rows again with the same {@code ce_id}, which consumers deduplicate.
 *
 * <p>The relay runs on a thread of its own (blocking calls: the producer's acknowledgements, the reactive
 * client's results awaited). {@link #lastFailure()} feeds the service's readiness; failures are logged once
 * per streak with the cause and the recovery once. Sent rows older than the retention are deleted by the relay
 * that holds the lock.
 */
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** The advisory lock (64-bit key space; per database) held by the relay that is sending: "bwoutbox". */
    public static final long LOCK_KEY = 0x62776f7574626f78L;

    static final String LOCK = "SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ") AS locked";
    static final String UNSENT = "SELECT id, event_id, topic, event_key, event_type, payload, event_time, trace_parent FROM outbox "
            + "WHERE sent_at IS NULL ORDER BY id LIMIT $1";
    static final String MARK_SENT = "UPDATE outbox SET sent_at = now() WHERE id = ANY($1)";
    static final String PRUNE = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
            + "WHERE sent_at < now() - make_interval(secs => $1) LIMIT 10000)";
    static final String COUNT_UNSENT = "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL";

    /** Why the relay is failing: since when, how many passes in a row, and the last cause. */
    public record Failure(Instant since, long passes, String cause) {
    }

    private record Pending(long id, String eventId, String topic, String key, String type, String payload,
            OffsetDateTime eventTime, String traceParent) {
    }

    private final Pool pool;
    private final OutboxConfig config;
    private final String name;
    private final String source;
    private final String bootstrapServers;
    private final Map<String, Object> clientSecurity;

    private volatile String bootstrapOverride;
    private ScheduledExecutorService executor;
    private final Object producerLock = new Object();
    private Producer<String, byte[]> producer;
    private String producerBootstrap;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lockedOut = new AtomicLong();
    private volatile Failure failure;
    private Instant lastPrune = Instant.EPOCH;

    /**
     * @param name             names the relay's thread and producer ({@code client.id}) and its log lines
     * @param source           the CloudEvents {@code ce_source} of the events
     * @param bootstrapServers the brokers
     */
    public OutboxRelay(Pool pool, OutboxConfig config, String name, String source, String bootstrapServers) {
        this(pool, config, name, source, bootstrapServers, Map.of());
    }

    /**
     * @param kafka the service's Kafka client settings ({@code kafka.*}); their {@link KafkaClientSecurity} entries
     *              go to the producer (TLS and SCRAM in Kubernetes), the rest is ignored
     */
    public OutboxRelay(Pool pool, OutboxConfig config, String name, String source, String bootstrapServers,
            Map<String, ?> kafka) {
        this.pool = pool;
        this.config = config;
        this.name = name;
        this.source = source;
        this.bootstrapServers = bootstrapServers;
        this.clientSecurity = KafkaClientSecurity.of(kafka);
    }

    public String name() {
        return name;
    }

    /** Starts the relay thread (at start-up; again after {@link #stopRelay()}). */
    public synchronized void startRelay() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long interval = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::run, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Stops the relay thread and drops the producer; unsent rows wait in the table. */
    public synchronized void stopRelay() {
        if (executor != null) {
            // let a running pass finish (it is bounded by the timeouts), then interrupt what is left
            executor.shutdown();
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                    if (!executor.awaitTermination(config.sendTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                        LOG.warnf("%s: the relay thread did not stop in time", name);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        closeProducer();
    }

    /** Runs a relay pass soon instead of at the next poll (after a transaction that wrote rows). */
    public synchronized void wakeUp() {
        if (executor != null) {
            executor.execute(this::run);
        }
    }

    /**
     * Points the relay at other brokers from the next pass on (null: back to the configured ones). For operations
     * and tests that simulate a broker outage.
     */
    public void overrideBootstrapServers(String servers) {
        bootstrapOverride = servers;
    }

    /** Rows this relay sent and marked. */
    public long sentCount() {
        return sent.get();
    }

    /** Failed passes of this relay. */
    public long failureCount() {
        return failures.get();
    }

    /** Passes that found another relay holding the lock and sent nothing. */
    public long lockedOutCount() {
        return lockedOut.get();
    }

    /** Null while the last pass succeeded (or found another relay sending); else why it is failing. */
    public Failure lastFailure() {
        return failure;
    }

    public boolean lastPassFailed() {
        return failure != null;
    }

    /** Unsent rows (for readiness details and tests). */
    public long unsentCount() {
        return pool.query(COUNT_UNSENT).execute().await().atMost(config.dbTimeout()).iterator().next().getLong("n");
    }

    private void run() {
        try {
            int count;
            do {
                count = pass();
            } while (count == config.batchSize() && !Thread.currentThread().isInterrupted());
            if (failure != null) {
                LOG.infof("%s: publishing again after %d failed passes since %s", name, failure.passes(), failure.since());
                failure = null;
            }
            pruneWhenDue();
        } catch (Exception e) {
            failed(e);
            closeProducer();
        }
    }

    private void failed(Exception e) {
        failures.incrementAndGet();
        String cause = e.toString();
        Failure before = failure;
        failure = new Failure(before == null ? Instant.now() : before.since(), before == null ? 1 : before.passes() + 1,
                cause);
        if (before == null) {
            String brokers = bootstrapOverride != null ? bootstrapOverride : bootstrapServers;
            LOG.warnf("%s: could not publish the outbox to Kafka at %s (%s); the rows wait in the table, readiness "
                    + "is DOWN, retrying every %s", name, brokers, cause, config.pollInterval());
        } else {
            LOG.debugf("%s: pass %d failed again: %s", name, failure.passes(), cause);
        }
    }

    /**
     * One pass: sends up to a batch of unsent rows in id order while holding the relay lock. Returns how many rows
     * it read (0 when drained or when another relay holds the lock); throws when a send or the database failed,
     * after marking the rows acknowledged before the failure.
     */
    public int pass() throws Exception {
        Duration db = config.dbTimeout();
        SqlConnection conn = pool.getConnection().await().atMost(db);
        try {
            Transaction tx = conn.begin().await().atMost(db);
            boolean committed = false;
            try {
                boolean locked = conn.query(LOCK).execute().await().atMost(db).iterator().next().getBoolean("locked");
                if (!locked) {
                    lockedOut.incrementAndGet();
                    return 0;
                }
                List<Pending> rows = new ArrayList<>();
                for (Row row : conn.preparedQuery(UNSENT).execute(Tuple.of(config.batchSize())).await().atMost(db)) {
                    rows.add(new Pending(row.getLong("id"), row.getUUID("event_id").toString(), row.getString("topic"),
                            row.getString("event_key"), row.getString("event_type"), row.getString("payload"),
                            row.getOffsetDateTime("event_time"), row.getString("trace_parent")));
                }
                if (rows.isEmpty()) {
                    return 0;
                }
                List<Long> acked = new ArrayList<>(rows.size());
                Exception sendFailure = send(rows, acked);
                if (!acked.isEmpty()) {
                    conn.preparedQuery(MARK_SENT).execute(Tuple.of(acked.toArray(new Long[0]))).await().atMost(db);
                }
                tx.commit().await().atMost(db);
                committed = true;
                sent.addAndGet(acked.size());
                if (sendFailure != null) {
                    throw sendFailure;
                }
                return rows.size();
            } finally {
                if (!committed) {
                    tx.rollback().await().atMost(db);
                }
            }
        } finally {
            conn.close().await().atMost(db);
        }
    }

    /** Sends the rows in order and adds the ids the broker acknowledged, up to the first failure (returned). */
    private Exception send(List<Pending> rows, List<Long> acked) {
        Producer<String, byte[]> p = producer();
        List<Future<?>> acks = new ArrayList<>(rows.size());
        for (Pending row : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(),
                    row.payload() == null ? null : row.payload().getBytes(StandardCharsets.UTF_8));
            if (row.payload() != null) {
                EventType.ofCeType(row.type()).ifPresent(type -> CloudEventHeaders
                        .of(type, row.eventId(), source, row.eventTime().toInstant())
                        .forEach((header, value) -> record.headers().add(header, value)));
                Traces.addTo(record.headers(), row.traceParent());
            }
            Future<?> ack = p.send(record);
            acks.add(ack);
            if (ack.isDone() && failed(ack)) {
                break; // no metadata (broker unreachable): do not block once more per remaining row
            }
        }
        long timeout = config.sendTimeout().toMillis() + 5_000;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(timeout, TimeUnit.MILLISECONDS);
                acked.add(rows.get(i).id());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            } catch (Exception e) {
                return e; // rows after the first failure stay unsent: order per key is kept
            }
        }
        return null;
    }

    private static boolean failed(Future<?> ack) {
        try {
            ack.get();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    /** Deletes sent rows past the retention, once per prune interval; returns how many. */
    public long prune() {
        long deleted = 0;
        long batch;
        do {
            batch = pool.preparedQuery(PRUNE).execute(Tuple.of((double) config.retention().toSeconds()))
                    .await().atMost(config.dbTimeout()).rowCount();
            deleted += batch;
        } while (batch == 10_000);
        if (deleted > 0) {
            LOG.debugf("%s: deleted %d rows sent more than %s ago", name, deleted, config.retention());
        }
        return deleted;
    }

    private void pruneWhenDue() {
        Instant now = Instant.now();
        if (lastPrune.plus(config.pruneInterval()).isAfter(now)) {
            return;
        }
        lastPrune = now;
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("%s: deleting old sent rows failed, trying again in %s: %s", name, config.pruneInterval(),
                    e.toString());
        }
    }

    private Producer<String, byte[]> producer() {
        synchronized (producerLock) {
            String wanted = bootstrapOverride != null ? bootstrapOverride : bootstrapServers;
            if (producer != null && !wanted.equals(producerBootstrap)) {
                closeProducer();
            }
            if (producer != null) {
                return producer;
            }
            producerBootstrap = wanted;
            producer = new KafkaProducer<>(producerProperties(wanted));
            return producer;
        }
    }

    /** The relay producer's settings: the broker's address and security, idempotent, one request in flight. */
    Properties producerProperties(String bootstrap) {
        Properties props = new Properties();
        props.putAll(clientSecurity);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        int timeout = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, Math.min(timeout - 50, 5_000)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private void closeProducer() {
        synchronized (producerLock) {
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.debugf("%s: closing the producer: %s", name, e.toString());
                }
                producer = null;
            }
        }
    }
}
