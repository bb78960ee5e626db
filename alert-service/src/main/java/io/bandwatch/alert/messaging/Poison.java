package io.bandwatch.alert.messaging;

import io.bandwatch.events.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Unreadable records: with {@code fail-on-deserialization-failure=false} SmallRye hands them over with a null
 * value and {@code deserialization-failure-*} headers. They must not be taken for tombstones: the consumer
 * fails them, and the dead-letter strategy moves them to {@code <topic>.dlq}.
 */
final class Poison {

    static final String REASON_HEADER = "deserialization-failure-reason";

    private Poison() {
    }

    static boolean is(ConsumerRecord<String, ?> record) {
        return record.value() == null && record.headers().lastHeader(REASON_HEADER) != null;
    }

    static RuntimeException failure(ConsumerRecord<String, ?> record) {
        return new IllegalArgumentException("unreadable record " + record.topic() + "-" + record.partition() + "@"
                + record.offset() + ": " + CloudEventHeaders.get(record.headers(), REASON_HEADER).orElse("?"));
    }
}
