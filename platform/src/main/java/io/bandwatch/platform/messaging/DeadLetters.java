package io.bandwatch.platform.messaging;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Unreadable records go to {@code <topic>.dlq}, the same way in every consumer: with their key, value and headers
 * plus the {@link #REASON}, {@link #TOPIC}, {@link #PARTITION} and {@link #OFFSET} headers, then consumption goes on.
 *
 * <ul>
 * <li><b>SmallRye channels</b> ({@code @Incoming} of one record): the channel is configured with
 *     {@code fail-on-deserialization-failure=false} (SmallRye then hands an unreadable value over as null with
 *     {@code deserialization-failure-*} headers, which must not be taken for a tombstone) and
 *     {@code failure-strategy=dead-letter-queue}, {@code dead-letter-queue.topic=<topic>.dlq}. The consumer passes
 *     each record through {@link #readableOr}; a refused record is nacked and SmallRye's dead-letter queue sends it
 *     with these headers (the names are SmallRye's).</li>
 * <li><b>Consumers of batches</b>, which cannot nack one record (a raw {@code KafkaConsumer}, or a channel of
 *     {@code ConsumerRecords}): {@link #read} reads a record (key, then value) or says why it is refused, and the
 *     dead letter is {@link #deadLetter} (a {@code ProducerRecord}, sent and acknowledged by a
 *     {@link DeadLetterSender}) or {@link #message} (for an emitter), with the same headers.</li>
 * </ul>
 */
public final class DeadLetters {

    /** Why the record was refused (the exception message). */
    public static final String REASON = "dead-letter-reason";
    /** The topic the record was read from. */
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    static final String DESERIALIZATION_FAILURE = "deserialization-failure";
    static final String DESERIALIZATION_FAILURE_REASON = "deserialization-failure-reason";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /**
     * Why the record cannot be processed: its value could not be deserialized, or its key (every Bandwatch topic
     * is keyed by an id) is not a UUID. Empty for a readable record, including a tombstone.
     */
    public static Optional<String> unreadable(ConsumerRecord<String, ?> record) {
        if (record.value() == null) {
            for (Header header : record.headers()) {
                if (header.key().startsWith(DESERIALIZATION_FAILURE)) {
                    Header reason = record.headers().lastHeader(DESERIALIZATION_FAILURE_REASON);
                    return Optional.of("unreadable value: " + (reason == null || reason.value() == null ? "?"
                            : new String(reason.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return keyProblem(record);
    }

    /** Why the record's key is refused (every Bandwatch topic is keyed by a UUID); empty for a UUID or no key. */
    static Optional<String> keyProblem(ConsumerRecord<String, ?> record) {
        if (record.key() != null) {
            try {
                UUID.fromString(record.key());
            } catch (IllegalArgumentException e) {
                return Optional.of("record key is not a UUID: " + record.key());
            }
        }
        return Optional.empty();
    }

    /**
     * A record read by a consumer of batches: its value (null for a tombstone), or why it goes to the dead-letter
     * topic ({@code refusal} not null).
     */
    public record Read<T>(ConsumerRecord<String, byte[]> record, T value, String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    /**
     * Reads a raw record as the SmallRye path does: a key that is not a UUID, or a value the deserializer refuses
     * (e.g. the events' {@code EventDeserializer}: strict JSON, CloudEvents type), is a refusal with its reason.
     */
    public static <T> Read<T> read(ConsumerRecord<String, byte[]> record, Deserializer<T> deserializer) {
        Optional<String> key = keyProblem(record);
        if (key.isPresent()) {
            return new Read<>(record, null, key.get());
        }
        try {
            return new Read<>(record, deserializer.deserialize(record.topic(), record.headers(), record.value()), null);
        } catch (RuntimeException e) {
            return new Read<>(record, null, "unreadable value: " + e.getMessage());
        }
    }

    /**
     * The headers of a refused record's dead letter: its own headers plus {@link #REASON}, {@link #TOPIC},
     * {@link #PARTITION} and {@link #OFFSET}, as SmallRye's dead-letter queue writes them.
     */
    public static Headers headers(ConsumerRecord<?, ?> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The dead letter of a refused record (logged): to {@code deadLetterTopic}, with its key, value and {@link #headers}. */
    public static <V> ProducerRecord<String, V> deadLetter(ConsumerRecord<String, V> record, String deadLetterTopic,
            String reason) {
        LOG.warnf("record %s-%d@%d goes to %s: %s", record.topic(), record.partition(), record.offset(), deadLetterTopic,
                reason);
        return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers(record, reason));
    }

    /** {@link #deadLetter} as a message for a SmallRye emitter of {@code byte[]} (an absent value is sent empty). */
    public static Message<byte[]> message(ConsumerRecord<String, byte[]> record, String deadLetterTopic, String reason) {
        ProducerRecord<String, byte[]> dead = deadLetter(record, deadLetterTopic, reason);
        return Message.of(dead.value() == null ? new byte[0] : dead.value()).addMetadata(OutgoingKafkaRecordMetadata
                .<String>builder().withTopic(dead.topic()).withKey(dead.key()).withHeaders(dead.headers()).build());
    }

    /** The handler's outcome for a readable record; a failure that dead-letters the record otherwise. */
    public static <T> Uni<T> readableOr(ConsumerRecord<String, ?> record, Supplier<Uni<T>> handle) {
        Optional<String> reason = unreadable(record);
        return reason.isPresent() ? refuse(record, reason.get()) : handle.get();
    }

    /** Refuses the record: logged, then sent to {@code <topic>.dlq} by the channel's failure strategy. */
    public static <T> Uni<T> refuse(ConsumerRecord<?, ?> record, String reason) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        LOG.warnf("record %s goes to the dead-letter topic: %s", where, reason);
        return Uni.createFrom().failure(new IllegalArgumentException("refused record " + where + ": " + reason));
    }
}
