package io.bandwatch.platform.messaging;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Unreadable records go to {@code <topic>.dlq}, the same way in every consumer. The channel is configured with
 * {@code fail-on-deserialization-failure=false} (SmallRye then hands an unreadable value over as null with
 * {@code deserialization-failure-*} headers, which must not be taken for a tombstone) and
 * {@code failure-strategy=dead-letter-queue}, {@code dead-letter-queue.topic=<topic>.dlq}. The consumer passes
 * each record through {@link #readableOr}; a refused record is nacked and SmallRye's dead-letter queue sends it
 * with its key, value and headers plus the {@link #REASON}, {@link #TOPIC}, {@link #PARTITION} and
 * {@link #OFFSET} headers, then consumption goes on.
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
        if (record.key() != null) {
            try {
                UUID.fromString(record.key());
            } catch (IllegalArgumentException e) {
                return Optional.of("record key is not a UUID: " + record.key());
            }
        }
        return Optional.empty();
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
