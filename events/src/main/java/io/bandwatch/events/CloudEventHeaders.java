package io.bandwatch.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 attributes in Kafka headers (binary content mode): {@code ce_id}, {@code ce_type},
 * {@code ce_source}, {@code ce_time}, {@code ce_specversion}, and {@code content-type}. Values are
 * UTF-8 strings; {@code ce_time} is RFC 3339 ({@link Instant#toString()}).
 *
 * <p>The Kafka-typed helpers need kafka-clients on the class path (every service has it).
 */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String APPLICATION_JSON = "application/json";

    /** The source used when none is configured; services set {@code /bandwatch/<service-name>}. */
    public static final String DEFAULT_SOURCE = "/bandwatch";

    private CloudEventHeaders() {
    }

    /** The six headers, in the order above; unmodifiable. */
    public static Map<String, byte[]> of(EventType type, String eventId, String source, Instant time) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(ID, utf8(eventId));
        headers.put(TYPE, utf8(type.ceType()));
        headers.put(SOURCE, utf8(source));
        headers.put(TIME, utf8(time.toString()));
        headers.put(SPEC_VERSION, utf8(SPEC_VERSION_1_0));
        headers.put(CONTENT_TYPE, utf8(APPLICATION_JSON));
        return Collections.unmodifiableMap(headers);
    }

    /** The headers of an event: its type, {@link Event#eventId()} and {@link Event#eventTime()}. */
    public static Map<String, byte[]> of(Event event, String source) {
        return of(event.eventType(), event.eventId().toString(), source, event.eventTime());
    }

    /** Adds each header of the event that the record does not carry yet; existing ones are kept. */
    public static void addMissing(Headers headers, Event event, String source) {
        of(event, source).forEach((name, value) -> {
            if (headers.lastHeader(name) == null) {
                headers.add(name, value);
            }
        });
    }

    /** The last value of a header as a UTF-8 string. */
    public static Optional<String> get(Headers headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The value of a header in a map such as {@link #of}'s. */
    public static Optional<String> get(Map<String, byte[]> headers, String name) {
        byte[] value = headers == null ? null : headers.get(name);
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    public static Optional<String> id(Headers headers) {
        return get(headers, ID);
    }

    /** The known event type named by {@code ce_type}; empty when absent or not a Bandwatch type. */
    public static Optional<EventType> type(Headers headers) {
        return get(headers, TYPE).flatMap(EventType::ofCeType);
    }

    public static Optional<String> source(Headers headers) {
        return get(headers, SOURCE);
    }

    /** {@code ce_time}; empty when absent or not an RFC 3339 instant. */
    public static Optional<Instant> time(Headers headers) {
        return get(headers, TIME).flatMap(t -> {
            try {
                return Optional.of(Instant.parse(t));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
