package io.bandwatch.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every event of Bandwatch: its record class, topic, CloudEvents type, JSON Schema and Kafka key.
 * Versioned in the CloudEvents type ({@code .v1}); an incompatible change is a new type and schema.
 */
public enum EventType {
    DEVICE_SNAPSHOT(DeviceSnapshot.class, Topics.INVENTORY_DEVICES, "device-snapshot",
            "io.bandwatch.device.snapshot.v1", e -> ((DeviceSnapshot) e).id()),
    IPERF3_SERVER_SNAPSHOT(Iperf3ServerSnapshot.class, Topics.INVENTORY_IPERF3_SERVERS, "iperf3-server-snapshot",
            "io.bandwatch.iperf3-server.snapshot.v1", e -> ((Iperf3ServerSnapshot) e).id()),
    CHECK_SNAPSHOT(CheckSnapshot.class, Topics.INVENTORY_CHECKS, "check-snapshot",
            "io.bandwatch.check.snapshot.v1", e -> ((CheckSnapshot) e).id()),
    CHECK_REQUEST(CheckRequest.class, Topics.CHECK_REQUESTS, "check-request",
            "io.bandwatch.check.request.v1", e -> ((CheckRequest) e).deviceId()),
    CHECK_RESULT(CheckResult.class, Topics.CHECK_RESULTS, "check-result",
            "io.bandwatch.check.result.v1", e -> ((CheckResult) e).deviceId()),
    ALERT_NOTIFICATION(AlertNotification.class, Topics.ALERT_NOTIFICATIONS, "alert-notification",
            "io.bandwatch.alert.notification.v1", e -> ((AlertNotification) e).deviceId()),
    DEVICE_HEALTH(DeviceHealth.class, Topics.DEVICES_HEALTH, "device-health",
            "io.bandwatch.device.health.v1", e -> ((DeviceHealth) e).deviceId()),
    TOKEN_REVOCATION(TokenRevocation.class, Topics.TOKEN_REVOCATIONS, "token-revocation",
            "io.bandwatch.token.revocation.v1", e -> ((TokenRevocation) e).subjectKey());

    /** Class-path folder of the JSON Schemas. */
    public static final String SCHEMA_FOLDER = "io/bandwatch/events/schemas/";

    private static final String CE_TYPE_PREFIX = "io.bandwatch.";

    private final Class<? extends Event> eventClass;
    private final String topic;
    private final String schemaName;
    private final String ceType;
    private final Function<Event, UUID> key;
    private final int version;
    private final String label;

    EventType(Class<? extends Event> eventClass, String topic, String schemaName, String ceType,
            Function<Event, UUID> key) {
        this.eventClass = eventClass;
        this.topic = topic;
        this.schemaName = schemaName;
        this.ceType = ceType;
        this.key = key;
        int dot = ceType.lastIndexOf(".v");
        this.version = Integer.parseInt(ceType.substring(dot + 2));
        this.label = ceType.substring(CE_TYPE_PREFIX.length(), dot) + " v" + version;
    }

    public Class<? extends Event> eventClass() {
        return eventClass;
    }

    /** The topic the event is published to. */
    public String topic() {
        return topic;
    }

    /** The CloudEvents {@code type} ({@code ce_type} header), e.g. {@code io.bandwatch.check.result.v1}. */
    public String ceType() {
        return ceType;
    }

    public int version() {
        return version;
    }

    /** Short name used in error messages, e.g. {@code check.result v1}. */
    public String label() {
        return label;
    }

    /** The schema's base name, e.g. {@code check-result}. */
    public String schemaName() {
        return schemaName;
    }

    /** Class-path resource of the JSON Schema, e.g. {@code io/bandwatch/events/schemas/check-result.v1.json}. */
    public String schemaResource() {
        return SCHEMA_FOLDER + schemaName + ".v" + version + ".json";
    }

    /**
     * The Kafka record key: the device id for device snapshots, check requests, results,
     * notifications and health; the server id for iperf3 server snapshots; the check id for check
     * snapshots; the user id, organization id or membership key for token revocations. On the wire it is {@code key.toString()}.
     */
    public UUID keyOf(Event event) {
        return key.apply(eventClass.cast(Objects.requireNonNull(event, "event")));
    }

    /** The event id ({@code ce_id}), see {@link Event#eventId()}. */
    public UUID eventIdOf(Event event) {
        return eventClass.cast(Objects.requireNonNull(event, "event")).eventId();
    }

    /** The type of an event class; IllegalArgumentException for other classes. */
    public static EventType of(Class<?> eventClass) {
        return find(eventClass)
                .orElseThrow(() -> new IllegalArgumentException("not a Bandwatch event class: " + eventClass));
    }

    public static Optional<EventType> find(Class<?> eventClass) {
        return Arrays.stream(values()).filter(t -> t.eventClass == eventClass).findFirst();
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    /** The type carried by a topic or by its dead-letter topic. */
    public static Optional<EventType> ofTopic(String topic) {
        String origin = Topics.origin(Objects.requireNonNull(topic, "topic"));
        return Arrays.stream(values()).filter(t -> t.topic.equals(origin)).findFirst();
    }

    /**
     * A deterministic event id for events without an {@code event_id} field: a name-based (v3) UUID of
     * {@code ceType + ":" + parts joined by ":"}. Snapshots use {@code (id, version)}.
     */
    public static UUID derivedEventId(EventType type, Object... parts) {
        StringBuilder name = new StringBuilder(type.ceType);
        for (Object part : parts) {
            name.append(':').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }
}
