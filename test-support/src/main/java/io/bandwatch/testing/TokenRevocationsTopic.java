package io.bandwatch.testing;

import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.bandwatch.events.TokenRevocation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes token revocations on the real {@code inventory.token-revocations} as inventory's outbox relay does
 * (key, JSON value), for the revocation tests of the services that only read the topic.
 */
public final class TokenRevocationsTopic {

    public static final String BOOTSTRAP = "127.0.0.1:9092";

    private TokenRevocationsTopic() {
    }

    /** A not-before as inventory sets it for a change made now: the next whole seconds. */
    public static Instant notBeforeNow() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
    }

    /** Every token of the user issued before now. */
    public static TokenRevocation user(UUID user) {
        return publish(TokenRevocation.ofUser(user, notBeforeNow(), "password_changed"));
    }

    /** The organization in the user's tokens issued before now. */
    public static TokenRevocation membership(UUID user, UUID organization) {
        return publish(TokenRevocation.ofMembership(user, organization, notBeforeNow(), "membership_removed"));
    }

    /** Sends and waits for the broker's acknowledgement. */
    public static TokenRevocation publish(TokenRevocation revocation) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TOKEN_REVOCATIONS, revocation.key().toString(),
                    EventJson.write(revocation))).get(30, TimeUnit.SECONDS);
            return revocation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + Topics.TOKEN_REVOCATIONS + " at " + BOOTSTRAP, e);
        }
    }
}
