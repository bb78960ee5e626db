package io.bandwatch.events;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for every event: JSON by {@link EventJson}; with headers, adds the CloudEvents
 * headers that the record does not carry yet ({@link CloudEventHeaders#addMissing}). A null value (a
 * tombstone) stays null, without headers.
 *
 * <p>Config: {@value #SOURCE_CONFIG} = the {@code ce_source}, e.g. {@code /bandwatch/check-runner-service}
 * (default {@value CloudEventHeaders#DEFAULT_SOURCE}). In Quarkus:
 * {@code mp.messaging.outgoing.check.results.value.serializer=io.bandwatch.events.EventSerializer} and
 * {@code mp.messaging.outgoing.check.results.bandwatch.event.source=/bandwatch/check-runner-service}.
 */
public class EventSerializer<T extends Event> implements Serializer<T> {

    public static final String SOURCE_CONFIG = "bandwatch.event.source";

    private String source;

    public EventSerializer() {
        this(CloudEventHeaders.DEFAULT_SOURCE);
    }

    public EventSerializer(String source) {
        this.source = source;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(SOURCE_CONFIG);
        if (configured != null && !configured.toString().isBlank()) {
            source = configured.toString();
        }
    }

    public String source() {
        return source;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : EventJson.write(data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        if (headers != null) {
            CloudEventHeaders.addMissing(headers, data, source);
        }
        return EventJson.write(data);
    }
}
