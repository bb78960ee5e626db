package io.bandwatch.platform.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the dead letters of a consumer that has no SmallRye channel to nack into (a raw {@code KafkaConsumer} of
 * batches): {@link DeadLetters#deadLetter} records, each acknowledged ({@code acks=all}) before {@link #send}
 * returns, so the consumer commits the refused record's offset only once its dead letter is safe. The producer is
 * made on the first dead letter (most consumers never send one) and closed with {@link #close}; it connects as the
 * service's other Kafka clients do ({@link KafkaClientSecurity}: SASL_SSL in Kubernetes).
 */
public final class DeadLetterSender implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String clientId;
    private final Map<String, Object> clientSecurity;
    private KafkaProducer<String, byte[]> producer;

    /**
     * @param kafka the service's Kafka client settings (Quarkus' {@code default-kafka-broker} map); their
     *              {@link KafkaClientSecurity} entries go to the producer, the rest is ignored
     */
    public DeadLetterSender(String bootstrapServers, String clientId, Map<String, ?> kafka) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId;
        this.clientSecurity = KafkaClientSecurity.of(kafka);
    }

    /** Sends the dead letter of a refused record to {@code deadLetterTopic} and waits for its acknowledgement. */
    public void send(ConsumerRecord<String, byte[]> record, String deadLetterTopic, String reason) {
        send(DeadLetters.deadLetter(record, deadLetterTopic, reason));
    }

    /** Sends a {@link DeadLetters#deadLetter} and waits for its acknowledgement (an exception when it does not come). */
    public void send(ProducerRecord<String, byte[]> deadLetter) {
        try {
            producer().send(deadLetter).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a dead letter to " + deadLetter.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("dead letter to " + deadLetter.topic() + " not acknowledged: " + e, e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The producer's settings: the broker's address and security, acknowledged by all in-sync replicas. */
    Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(clientSecurity);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
