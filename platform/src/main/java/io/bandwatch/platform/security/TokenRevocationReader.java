package io.bandwatch.platform.security;

import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.bandwatch.events.TokenRevocation;
import io.bandwatch.platform.messaging.KafkaClientSecurity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Reads {@link Topics#TOKEN_REVOCATIONS} whole in every replica of every service: a consumer of its own on every
 * partition (assigned, no consumer group, nothing committed), from the beginning at start, then following the
 * topic; every record goes into the service's {@link TokenRevocations}. Not-befores older than the longest token
 * lifetime (plus the clock skew) are dropped: no token accepted now can be older.
 *
 * <p>Readiness "Token revocations" is DOWN until the topic has been read up to its end offsets of the start, and
 * again whenever this replica has not confirmed for {@code bandwatch.auth.revocations.max-delay} (30 s) that it
 * has read everything published (broker unreachable): a replica that might accept a revoked token leaves the
 * Service's endpoints instead.
 */
@Readiness
@ApplicationScoped
public class TokenRevocationReader implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(TokenRevocationReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CONFIRM_EVERY = Duration.ofSeconds(5);

    private final TokenRevocations revocations = new TokenRevocations();

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    /** Off only where no Kafka is wanted (the platform's own tests). */
    @ConfigProperty(name = "bandwatch.auth.revocations.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "bandwatch.auth.revocations.max-delay", defaultValue = "30s")
    Duration maxDelay;

    @ConfigProperty(name = "bandwatch.auth.revocations.start-wait", defaultValue = "15s")
    Duration startWait;

    @ConfigProperty(name = "bandwatch.auth.max-token-lifetime", defaultValue = "PT1H")
    Duration maxTokenLifetime;

    @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60")
    int clockSkewSeconds;

    private final CountDownLatch firstCatchUp = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Instant upToDateAsOf;
    private volatile String lastError;
    private volatile long read;

    @Produces
    @Singleton
    TokenRevocations revocations() {
        return revocations;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            caughtUp = true;
            return;
        }
        running = true;
        thread = new Thread(this::run, application + "-token-revocations");
        thread.setDaemon(true);
        thread.start();
        // serve no request before the revocations published so far are known (a broker that does not answer
        // delays the start by startWait at most; readiness stays DOWN until they are read)
        try {
            if (!firstCatchUp.await(startWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("token revocations not read within %s of the start; readiness is DOWN until they are", startWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        // the broker's address and security (kafka.bootstrap.servers, kafka.security.protocol, kafka.sasl.*)
        props.putAll(KafkaClientSecurity.of(kafka));
        kafka.forEach((k, v) -> {
            if (k.startsWith("bootstrap.")) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, application + "-token-revocations-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                failed(e);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.TOKEN_REVOCATIONS, Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.TOKEN_REVOCATIONS + " has no partitions yet");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Instant askedAt = Instant.now();
        Map<TopicPartition, Long> target = c.endOffsets(partitions);
        Instant lastPrune = Instant.EPOCH;
        while (running) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                handle(record);
            }
            if (reached(c, target)) {
                if (!caughtUp) {
                    LOG.infof("token revocations read up to the end of %s (%d records, %d not-befores kept)",
                            Topics.TOKEN_REVOCATIONS, read, revocations.size());
                }
                caughtUp = true;
                firstCatchUp.countDown();
                upToDateAsOf = askedAt;
                if (lastError != null) {
                    LOG.infof("token revocations: %s answers again", Topics.TOKEN_REVOCATIONS);
                    lastError = null;
                }
                if (Duration.between(askedAt, Instant.now()).compareTo(CONFIRM_EVERY) >= 0) {
                    askedAt = Instant.now();
                    target = c.endOffsets(partitions);
                }
            }
            if (Duration.between(lastPrune, Instant.now()).toMinutes() >= 1) {
                lastPrune = Instant.now();
                revocations.prune(horizon());
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Instant horizon() {
        return Instant.now().minus(maxTokenLifetime).minusSeconds(clockSkewSeconds);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        read++;
        UUID key = TokenRevocations.userOf(record.key());
        if (record.value() == null) {
            if (key != null) {
                revocations.forget(key);
            }
            return;
        }
        try {
            TokenRevocation revocation = EventJson.read(record.value(), TokenRevocation.class);
            if (!revocation.notBefore().isBefore(horizon())) {
                revocations.apply(revocation);
            }
        } catch (RuntimeException e) {
            // inventory writes these with the same contract; a record no replica can read is a bug to see at once
            LOG.errorf("unreadable token revocation at %s-%d offset %d ignored: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private void failed(RuntimeException e) {
        String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (lastError == null) {
            LOG.warnf("token revocations: cannot read %s from %s (%s); retrying", Topics.TOKEN_REVOCATIONS,
                    kafka.get("bootstrap.servers"), cause);
        }
        lastError = cause;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything published before this instant has been read (null before the first confirmation). */
    public Instant upToDateAsOf() {
        return upToDateAsOf;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Token revocations")
                .withData("kept", revocations.size());
        if (!enabled) {
            return response.up().withData("reader", "disabled").build();
        }
        Instant asOf = upToDateAsOf;
        if (asOf != null) {
            response.withData("up_to_date_as_of", asOf.toString());
        }
        if (lastError != null) {
            response.withData("cause", lastError);
        }
        if (!caughtUp) {
            return response.down().withData("reason", "not yet read to the end of " + Topics.TOKEN_REVOCATIONS).build();
        }
        if (asOf == null || Duration.between(asOf, Instant.now()).compareTo(maxDelay) > 0) {
            return response.down().withData("reason", "not confirmed up to date for more than " + maxDelay).build();
        }
        return response.up().build();
    }
}
