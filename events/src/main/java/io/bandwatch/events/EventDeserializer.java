package io.bandwatch.events;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for the events. The target type is, in this order: the class given to the
 * constructor; the config {@value #CLASS_CONFIG} (fully qualified or simple name of an event record);
 * the {@code ce_type} header; the topic (a dead-letter topic counts as its origin topic).
 *
 * <p>A null value (tombstone on a compacted topic) gives null. A payload that cannot be read throws
 * {@link EventFormatException}; so does a {@code ce_type} naming a different known event than the
 * configured one. Configure a dead-letter failure strategy for these.
 *
 * <p>In Quarkus: {@code mp.messaging.incoming.check.results.value.deserializer=io.bandwatch.events.EventDeserializer}
 * and {@code mp.messaging.incoming.check.results.bandwatch.event.class=io.bandwatch.events.CheckResult}.
 */
public class EventDeserializer<T extends Event> implements Deserializer<T> {

    public static final String CLASS_CONFIG = "bandwatch.event.class";

    private EventType expected;

    /** Type from config, header or topic. */
    public EventDeserializer() {
    }

    public EventDeserializer(Class<T> eventClass) {
        this.expected = EventType.of(Objects.requireNonNull(eventClass, "eventClass"));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(CLASS_CONFIG);
        if (expected != null || configured == null) {
            return;
        }
        String name = configured instanceof Class<?> c ? c.getName() : configured.toString().trim();
        for (EventType type : EventType.values()) {
            if (type.eventClass().getName().equals(name) || type.eventClass().getSimpleName().equals(name)) {
                expected = type;
                return;
            }
        }
        throw new IllegalArgumentException(CLASS_CONFIG + ": not a Bandwatch event class: " + name);
    }

    /** The configured type, if any. */
    public Optional<EventType> expectedType() {
        return Optional.ofNullable(expected);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        Optional<EventType> fromHeader = CloudEventHeaders.type(headers);
        EventType type = expected;
        if (type == null) {
            type = fromHeader.or(() -> topic == null ? Optional.empty() : EventType.ofTopic(topic))
                    .orElseThrow(() -> new SerializationException("cannot tell the event type of topic " + topic
                            + ": configure " + CLASS_CONFIG));
        } else if (fromHeader.isPresent() && fromHeader.get() != type) {
            throw new EventFormatException(type.label(), null,
                    "ce_type header is " + fromHeader.get().ceType() + ", expected " + type.ceType(), null);
        }
        @SuppressWarnings("unchecked")
        T event = (T) EventJson.read(data, type.eventClass());
        return event;
    }
}
