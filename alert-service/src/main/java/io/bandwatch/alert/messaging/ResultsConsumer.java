package io.bandwatch.alert.messaging;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.evaluation.DeviceState;
import io.bandwatch.alert.repository.ConsumerOffsetRepository;
import io.bandwatch.alert.service.EvaluationService;
import io.bandwatch.alert.service.PartitionState;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.EventDeserializer;
import io.bandwatch.platform.messaging.DeadLetterSender;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.platform.messaging.KafkaClientSecurity;
import io.bandwatch.platform.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code check.results}, consumed in polled batches by {@code bandwatch.kafka.results-consumers} Kafka consumers of
 * the service's group, each on a thread of its own (a plain {@link KafkaConsumer} loop: the batch, its transaction,
 * the seek to the stored position and the kept state of a partition all live on the thread that polls it).
 *
 * <p>On assignment a partition's position is read from the database ({@code consumer_offset}, written with every
 * batch) and the consumer seeks there, and commits it to the group, so the group's offsets in Kafka follow the
 * database even after someone reset them; without a stored position (a new group) Kafka's own position and
 * {@code auto.offset.reset} apply. Each batch of a partition is evaluated in one transaction
 * ({@link EvaluationService#evaluate}), then the position is committed to Kafka too. While a batch's transaction runs
 * (on the event loop), the consumer polls and reads (deserializes) the next records, and starts their transaction
 * once the batch before them committed; when it did not (a failure, an isolation, another owner) the records read
 * after it are dropped and polled again from where the partition was put. A batch whose stored position
 * moved under it (another replica took the partition) rolls back; the consumer reloads the position and the state.
 * A batch that fails (database down) is read again after a growing pause; meanwhile readiness is DOWN. After
 * {@code bandwatch.kafka.results-max-attempts} failures in a row its records are evaluated one at a time
 * ({@link Worker#isolate}): a readable result whose evaluation keeps failing while the database answers goes to the
 * dead-letter topic and the partition goes on after it, instead of blocking it for ever.
 *
 * <p>Unreadable records (value that is not a check result, key that is not a UUID) go to the dead-letter topic
 * ({@code bandwatch.kafka.results-dlq}) with the {@link DeadLetters} headers, before their batch commits.
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final Logger LOG = Logger.getLogger(ResultsConsumer.class);
    private static final String CONNECTOR_PREFIX = "mp.messaging.connector.smallrye-kafka.";

    @Inject
    EvaluationService evaluation;

    @Inject
    ConsumerOffsetRepository offsets;

    @Inject
    Pool pool;

    @Inject
    AlertConfig alertConfig;

    @Inject
    Config config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The service's Kafka client settings ({@code kafka.*}, {@code KAFKA_*}): the broker's security comes from here. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "bandwatch.kafka.group")
    String group;

    @ConfigProperty(name = "bandwatch.kafka.results-topic", defaultValue = "check.results")
    String topic;

    @ConfigProperty(name = "bandwatch.kafka.results-consumers", defaultValue = "3")
    int consumers;

    @ConfigProperty(name = "bandwatch.kafka.results-offset-reset", defaultValue = "latest")
    String offsetReset;

    @ConfigProperty(name = "bandwatch.kafka.results-max-poll-records", defaultValue = "5000")
    int maxPollRecords;

    @ConfigProperty(name = "bandwatch.kafka.results-max-attempts", defaultValue = "5")
    int maxAttempts;

    @ConfigProperty(name = "bandwatch.kafka.results-dlq")
    String deadLetterTopic;

    @ConfigProperty(name = "bandwatch.kafka.results-enabled", defaultValue = "true")
    boolean enabled;

    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    /** Unreadable and poison records to the dead-letter topic (its producer is made on the first one). */
    private DeadLetterSender deadLetters;

    @PostConstruct
    void init() {
        deadLetters = new DeadLetterSender(bootstrap, "alert-results-dlq", kafka);
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
        deadLetters.close();
    }

    /** Starts the consumers of the configured topic (at start-up). */
    public void start() {
        start(topic);
    }

    /** Starts the consumers of a topic (the bench: of its own topics, after {@link #stop()}). */
    public synchronized void start(String consumedTopic) {
        if (!workers.isEmpty()) {
            return;
        }
        for (int i = 0; i < consumers; i++) {
            Worker w = new Worker(i, consumedTopic);
            workers.add(w);
            w.thread.start();
        }
    }

    /** Stops the consumers and waits until each has left the group. */
    public synchronized void stop() {
        for (Worker w : workers) {
            w.running = false;
            KafkaConsumer<String, byte[]> c = w.consumer;
            if (c != null) {
                c.wakeup();
            }
        }
        for (Worker w : workers) {
            try {
                w.thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    /** Why the consumers are not ready (a batch failing, a consumer stopped), or null. */
    public String problem() {
        if (!enabled) {
            return null;
        }
        if (workers.isEmpty()) {
            return "not started";
        }
        for (Worker w : workers) {
            if (!w.thread.isAlive()) {
                return "consumer " + w.index + " stopped";
            }
            if (w.failing != null) {
                return "consumer " + w.index + ": " + w.failing;
            }
        }
        return null;
    }

    Properties consumerProperties(int index) {
        Properties p = new Properties();
        // tuning shared with the SmallRye channels (e.g. session.timeout.ms), then ours
        Set<String> names = ConsumerConfig.configNames();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(CONNECTOR_PREFIX) && names.contains(name.substring(CONNECTOR_PREFIX.length()))) {
                config.getOptionalValue(name, String.class).ifPresent(v -> p.put(name.substring(CONNECTOR_PREFIX.length()), v));
            }
        }
        // the broker's security as the service's channels have it (SASL_SSL in Kubernetes)
        p.putAll(KafkaClientSecurity.of(kafka));
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "alert-results-" + index + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        // a fetch of a partition large enough for a whole batch (an iperf3 result with its headers is about 1.7 KB):
        // Kafka's default (1 MiB) cuts a poll to about 600 results, 1 KiB a record (measured) to about 3 000 of 5 000
        p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(Math.max(1 << 20, maxPollRecords * 2048)));
        return p;
    }

    /** One consumer and the partitions it owns. */
    private final class Worker implements ConsumerRebalanceListener {
        final int index;
        final Thread thread;
        final Map<TopicPartition, PartitionState> owned = new HashMap<>();
        /** Failures in a row of each partition's batch (reset by a commit). */
        final Map<TopicPartition, Integer> failures = new HashMap<>();
        /** The last offset of each partition whose unreadable records were dead-lettered (not twice on a retry). */
        final Map<TopicPartition, Long> deadLettered = new HashMap<>();
        /** The batch of each partition whose transaction runs while the next records are polled and read. */
        final Map<TopicPartition, Pending> inFlight = new HashMap<>();
        /** The partitions sought to another offset since the last batch was finished (by a retry, an isolation, a reload). */
        final Set<TopicPartition> repositioned = new HashSet<>();
        final EventDeserializer<CheckResult> deserializer = new EventDeserializer<>(CheckResult.class);
        volatile boolean running = true;
        volatile KafkaConsumer<String, byte[]> consumer;
        volatile String failing;
        long backoffMs;

        final String topic;

        Worker(int index, String topic) {
            this.index = index;
            this.topic = topic;
            this.thread = new Thread(this::run, "alert-results-" + index);
        }

        /** Polls until stopped; a consumer that failed outside a batch is closed and made again after a pause. */
        void run() {
            while (running) {
                try {
                    poll();
                } catch (WakeupException e) {
                    return; // stop()
                } catch (RuntimeException e) {
                    LOG.errorf(e, "consumer %d of %s failed; a new one in 5 s", index, topic);
                    failing = "consumer failed: " + e;
                    pause(5000);
                }
            }
        }

        void poll() {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties(index), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(topic), this);
                while (running) {
                    // while batches are evaluated, the next records are polled and read: polled in short waits
                    // until records come or the transactions end, so that none of them waits for a poll
                    ConsumerRecords<String, byte[]> records = c.poll(inFlight.isEmpty() ? Duration.ofMillis(500) : Duration.ZERO);
                    while (records.isEmpty() && running && !inFlight.isEmpty()
                            && !inFlight.values().stream().allMatch(p -> p.committed.isDone())) {
                        records = c.poll(Duration.ofMillis(5));
                    }
                    if (records.isEmpty() && inFlight.isEmpty()) {
                        failing = null; // nothing waits: nothing fails
                    }
                    Map<TopicPartition, Read> reads = new HashMap<>();
                    for (TopicPartition tp : records.partitions()) {
                        PartitionState state = owned.get(tp);
                        if (state != null) {
                            reads.put(tp, read(tp, state, records.records(tp)));
                        }
                    }
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    for (Pending p : new ArrayList<>(inFlight.values())) {
                        TopicPartition tp = p.read.tp;
                        inFlight.remove(tp);
                        repositioned.remove(tp);
                        boolean committed = finish(c, p);
                        if (committed) {
                            done.put(tp, new OffsetAndMetadata(p.read.state.storedOffset()));
                        }
                        if (!committed || repositioned.contains(tp)) {
                            // the records read after the batch are dropped: they are polled again from where its
                            // failure, isolation or reload put the partition (else from right after the batch)
                            reads.remove(tp);
                            if (!repositioned.contains(tp)) {
                                seek(c, tp, p.read.next);
                            }
                        }
                    }
                    if (!done.isEmpty()) {
                        c.commitAsync(done, (committed, e) -> {
                            if (e != null) {
                                LOG.debugf("commit of %s to the group failed (the database has it): %s", committed, e);
                            }
                        });
                    }
                    for (Read read : reads.values()) {
                        if (owned.get(read.tp) != read.state) {
                            continue; // revoked meanwhile
                        }
                        if (read.error != null) {
                            failed(c, read, read.error);
                        } else {
                            inFlight.put(read.tp, start(read));
                        }
                    }
                }
            } finally {
                for (Pending p : inFlight.values()) {
                    awaitQuietly(p);
                }
                inFlight.clear();
                consumer = null;
                owned.clear();
                failures.clear();
            }
        }

        /** One partition's share of a poll, read: its results, or why its dead letters could not be sent. */
        final class Read {
            final TopicPartition tp;
            final PartitionState state;
            /**
             * The records as polled; let go once read, unless a failure of this batch would isolate them: the raw
             * records (values, headers) of the batches read and in flight were most of what each young GC copied
             * (a failure short of isolation reads them again from Kafka, {@link #retryLater}).
             */
            List<ConsumerRecord<String, byte[]>> records;
            /** What {@link Traces#startBatch} reads: every record while tracing is on, else the first. */
            List<ConsumerRecord<String, byte[]>> forSpan;
            final long first;
            final long next;
            final List<CheckResult> results;
            RuntimeException error;

            Read(TopicPartition tp, PartitionState state, List<ConsumerRecord<String, byte[]>> records) {
                this.tp = tp;
                this.state = state;
                this.records = records;
                this.first = records.get(0).offset();
                this.next = records.get(records.size() - 1).offset() + 1;
                this.results = new ArrayList<>(records.size());
            }
        }

        /** A read batch whose transaction runs (on the event loop) while the consumer polls and reads the next one. */
        record Pending(Read read, Span span, CompletableFuture<Boolean> committed) {
        }

        /** Reads one partition's records; an unreadable one's dead letter is sent (and acknowledged) now. */
        Read read(TopicPartition tp, PartitionState state, List<ConsumerRecord<String, byte[]>> records) {
            Read read = new Read(tp, state, records);
            try {
                List<ProducerRecord<String, byte[]>> unreadable = new ArrayList<>();
                long sent = deadLettered.getOrDefault(tp, -1L);
                for (ConsumerRecord<String, byte[]> r : records) {
                    read(r, read.results, r.offset() > sent ? unreadable : null);
                }
                for (ProducerRecord<String, byte[]> dead : unreadable) {
                    sendDeadLetter(dead);
                }
                deadLettered.put(tp, read.next - 1); // a batch read again does not send them twice
            } catch (RuntimeException e) {
                read.error = e;
                return read;
            }
            read.forSpan = Traces.tracing() ? records : List.of(records.get(0));
            if (failures.getOrDefault(tp, 0) + 1 < maxAttempts) {
                // a failure of this batch reads it again from Kafka; only the attempt that would isolate keeps them
                // (if the batch in flight before it fails, this one is dropped; if it commits, failures restart at 0)
                read.records = null;
            }
            return read;
        }

        /** Starts the batch's transaction ({@link EvaluationService#evaluate}) in its own {@code evaluate} span. */
        Pending start(Read read) {
            // one span per evaluated batch, in the trace of its first traced record (platform Traces.startBatch)
            Span span = Traces.startBatch("evaluate", read.forSpan);
            read.forSpan = null;
            try (Scope scope = span.makeCurrent()) {
                return new Pending(read, span, evaluation.evaluate(read.state, read.results, read.next)
                        .subscribeAsCompletionStage());
            }
        }

        /** Waits for a batch's transaction; true when committed (else its failure is handled as {@link #failed} says). */
        boolean finish(KafkaConsumer<String, byte[]> c, Pending p) {
            Read read = p.read;
            boolean committed;
            try {
                committed = outcome(p);
            } catch (RuntimeException e) {
                return failed(c, read, e);
            }
            failures.remove(read.tp);
            failing = null;
            backoffMs = 0;
            if (!committed) {
                LOG.infof("%s: stored position moved under this consumer (another one owns it now); reloading", read.tp);
                reload(c, List.of(read.tp));
                return false;
            }
            return true;
        }

        /** The outcome of a batch's transaction (its span ended), or its failure. */
        boolean outcome(Pending p) {
            try {
                return p.committed.get(alertConfig.dbTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a batch was evaluated", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the batch's transaction did not end in time", e);
            } finally {
                p.span.end();
            }
        }

        /** Waits for a batch that nobody needs any more (the consumer stops or loses the partition). */
        void awaitQuietly(Pending p) {
            try {
                outcome(p);
            } catch (RuntimeException e) {
                LOG.debugf("%s: batch at offset %d ended with %s", p.read.tp, p.read.first, e.toString());
            }
        }

        /**
         * A batch that could not be read or evaluated: read again after a growing pause, or after
         * {@code maxAttempts} failures in a row record by record ({@link #isolate}); true when {@link #isolate}
         * committed it.
         */
        boolean failed(KafkaConsumer<String, byte[]> c, Read read, RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) { // stopping (the dead-letter sender keeps the flag)
                running = false;
                return false;
            }
            int failed = failures.merge(read.tp, 1, Integer::sum);
            if (failed >= maxAttempts && running && read.records != null) {
                return isolate(c, read.tp, read.state, read.records);
            }
            retryLater(c, read.tp, read.state, read.first, "batch", e);
            return false;
        }

        /** The transaction of one record (by {@link #isolate}); false when the partition has another owner. */
        boolean evaluate(PartitionState state, List<ConsumerRecord<String, byte[]>> records, List<CheckResult> results,
                long next) {
            Span span = Traces.startBatch("evaluate", records);
            try (Scope scope = span.makeCurrent()) {
                return evaluation.evaluate(state, results, next).await().atMost(alertConfig.dbTimeout().plusSeconds(5));
            } finally {
                span.end();
            }
        }

        void seek(KafkaConsumer<String, byte[]> c, TopicPartition tp, long offset) {
            c.seek(tp, offset);
            repositioned.add(tp);
        }

        /** Reads the partition again from {@code offset} after a growing pause; readiness is DOWN meanwhile. */
        void retryLater(KafkaConsumer<String, byte[]> c, TopicPartition tp, PartitionState state, long offset,
                String what, Exception e) {
            failing = what + " of " + tp + " failed: " + e;
            backoffMs = Math.min(Math.max(backoffMs * 2, 500), 10_000);
            LOG.warnf("%s: %s at offset %d failed, read again in %d ms: %s", tp, what, offset, backoffMs, e.toString());
            state.forget();
            seek(c, tp, offset);
            pause(backoffMs);
        }

        /**
         * A batch that failed {@code maxAttempts} times in a row: its records one at a time, each in a transaction of
         * its own, so that a readable result whose evaluation always fails does not block its partition. A record
         * that fails {@code maxAttempts} times on its own while the database answers goes to the dead-letter topic
         * (the reason says why) and the partition goes on after it, the rest of the batch read again as a batch;
         * while the database does not answer nothing is dead-lettered and the partition is read again from that
         * record. True when the records up to the stored position were committed.
         */
        boolean isolate(KafkaConsumer<String, byte[]> c, TopicPartition tp, PartitionState state,
                List<ConsumerRecord<String, byte[]>> records) {
            LOG.warnf("%s: the batch at offset %d failed %d times: its %d records one at a time", tp,
                    records.get(0).offset(), maxAttempts, records.size());
            long sent = deadLettered.getOrDefault(tp, -1L);
            for (ConsumerRecord<String, byte[]> r : records) {
                List<CheckResult> one = new ArrayList<>(1);
                List<ProducerRecord<String, byte[]>> unreadable = new ArrayList<>(1);
                read(r, one, r.offset() > sent ? unreadable : null); // not twice: a batch attempt may have sent it
                try {
                    for (ProducerRecord<String, byte[]> dead : unreadable) {
                        sendDeadLetter(dead);
                        deadLettered.put(tp, r.offset());
                    }
                    RuntimeException last = null;
                    for (int attempt = 1; attempt <= maxAttempts && running; attempt++) {
                        try {
                            if (!evaluate(state, List.of(r), one, r.offset() + 1)) {
                                reload(c, List.of(tp));
                                return false;
                            }
                            last = null;
                            break;
                        } catch (RuntimeException e) {
                            last = e;
                            state.forget();
                            pause(Math.min(100L << attempt, 2_000));
                        }
                    }
                    if (!running) {
                        return false;
                    }
                    if (last == null) {
                        continue;
                    }
                    if (!databaseAnswers()) {
                        retryLater(c, tp, state, r.offset(), "record", last);
                        return false;
                    }
                    // logged once, by DeadLetters.deadLetter (the record, the dead-letter topic and this reason)
                    sendDeadLetter(deadLetter(r, "evaluation failed " + maxAttempts + " times: " + last));
                    if (!evaluate(state, List.of(r), List.of(), r.offset() + 1)) { // past it
                        reload(c, List.of(tp));
                        return false;
                    }
                    // the rest of the batch is read again and evaluated as a batch
                    seek(c, tp, r.offset() + 1);
                    break;
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) { // stopping (the dead-letter sender keeps the flag)
                        running = false;
                        return false;
                    }
                    retryLater(c, tp, state, r.offset(), "record", e);
                    return false;
                }
            }
            failures.remove(tp);
            failing = null;
            backoffMs = 0;
            return true;
        }

        /** Whether the database answers a trivial query (then a failing record is the record's fault). */
        boolean databaseAnswers() {
            try {
                pool.query("SELECT 1").execute().await().atMost(alertConfig.dbTimeout());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** A readable record's result to {@code results}; an unreadable one's dead letter to {@code unreadable}. */
        void read(ConsumerRecord<String, byte[]> r, List<CheckResult> results, List<ProducerRecord<String, byte[]>> unreadable) {
            DeadLetters.Read<CheckResult> read = DeadLetters.read(r, deserializer);
            if (read.refused()) {
                if (unreadable != null) { // null: already sent by an earlier attempt of this batch
                    unreadable.add(deadLetter(r, read.refusal()));
                }
            } else if (read.value() != null) {
                results.add(read.value());
            }
        }

        /** Sends a dead letter and waits for its acknowledgement. */
        void sendDeadLetter(ProducerRecord<String, byte[]> dead) {
            deadLetters.send(dead);
            registry.counter("bandwatch.alert.results", "outcome", "dead-lettered").increment();
        }

        /** The record for the dead-letter topic: the record's key, value and headers, with the platform's headers. */
        ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
            return DeadLetters.deadLetter(r, deadLetterTopic, reason);
        }

        /**
         * Reads the stored positions of these partitions and seeks there (else fixes Kafka's own position at once, so
         * that a new group starting from the end starts where it was assigned), then loads their devices.
         */
        void reload(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            List<PartitionState> states = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                OptionalLong stored;
                try {
                    stored = offsets.stored(pool, group, tp.topic(), tp.partition()).await().atMost(alertConfig.dbTimeout());
                } catch (RuntimeException e) {
                    // its first batch then finds the stored position moved and reloads it
                    LOG.warnf("%s: could not read the stored position: %s", tp, e.toString());
                    failing = "stored position of " + tp + ": " + e;
                    stored = OptionalLong.empty();
                }
                long position = stored.orElse(ConsumerOffsetRepository.NONE);
                if (stored.isPresent() && position <= ends.getOrDefault(tp, Long.MAX_VALUE)) {
                    seek(c, tp, position);
                    positions.put(tp, new OffsetAndMetadata(position));
                } else {
                    if (stored.isPresent()) {
                        LOG.warnf("%s: stored position %d is past the end of the partition (%d): was the topic "
                                + "created again? Kafka's position applies", tp, position, ends.get(tp));
                    }
                    c.position(tp);
                }
                PartitionState state = new PartitionState(group, tp.topic(), tp.partition(), position);
                owned.put(tp, state);
                states.add(state);
            }
            if (!positions.isEmpty()) {
                c.commitSync(positions);
            }
            int count = c.partitionsFor(topic).size();
            Set<Integer> numbers = new HashSet<>();
            for (PartitionState state : states) {
                numbers.add(state.partition());
            }
            try {
                // one read for every partition assigned: the settings and health of their devices only
                Map<Integer, Map<UUID, DeviceState>> loaded = evaluation.load(numbers, count)
                        .await().atMost(alertConfig.dbTimeout().plusSeconds(5));
                for (PartitionState state : states) {
                    state.keep(loaded.getOrDefault(state.partition(), Map.of()));
                    LOG.debugf("%s-%d: position %d, %d devices loaded", topic, state.partition(), state.storedOffset(),
                            state.devicesKept());
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s: could not load the devices of partitions %s, each batch loads its own: %s", topic,
                        numbers, e.toString());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.debugf("consumer %d assigned %s", index, partitions);
                reload(consumer, partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                Pending p = inFlight.remove(tp);
                if (p != null) { // its transaction ends before another consumer reads the stored position
                    awaitQuietly(p);
                }
                owned.remove(tp);
                failures.remove(tp);
                deadLettered.remove(tp);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
