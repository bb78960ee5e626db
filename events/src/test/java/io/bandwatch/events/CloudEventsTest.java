package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CloudEventsTest {

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static EventSerializer<Event> serializer(String source) {
        EventSerializer<Event> serializer = new EventSerializer<>();
        serializer.configure(Map.of(EventSerializer.SOURCE_CONFIG, source), false);
        return serializer;
    }

    @Test
    void serializerAddsTheCloudEventsHeaders() {
        Headers headers = new RecordHeaders();
        CheckResult result = Samples.iperf3Result();

        byte[] value = serializer("/bandwatch/check-runner-service").serialize(Topics.CHECK_RESULTS, headers, result);

        assertThat(value).isEqualTo(EventJson.write(result));
        assertThat(header(headers, "ce_id")).isEqualTo(Samples.EVENT.toString());
        assertThat(header(headers, "ce_type")).isEqualTo("io.bandwatch.check.result.v1");
        assertThat(header(headers, "ce_source")).isEqualTo("/bandwatch/check-runner-service");
        assertThat(header(headers, "ce_time")).isEqualTo("2026-05-01T02:00:23.456Z");
        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "content-type")).isEqualTo("application/json");
        assertThat(headers.toArray()).hasSize(6);
    }

    @Test
    void headersAlreadyThereAreKeptNotDuplicated() {
        Headers headers = new RecordHeaders();
        headers.add("ce_source", "/somewhere-else".getBytes(StandardCharsets.UTF_8));
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));

        serializer("/bandwatch/alert-service").serialize(Topics.DEVICES_HEALTH, headers, Samples.health());

        assertThat(headers.headers("ce_source")).hasSize(1);
        assertThat(header(headers, "ce_source")).isEqualTo("/somewhere-else");
        assertThat(header(headers, "ce_type")).isEqualTo("io.bandwatch.device.health.v1");
        assertThat(headers.toArray()).hasSize(7);
    }

    @Test
    void defaultSourceWhenNotConfigured() {
        Headers headers = new RecordHeaders();

        new EventSerializer<CheckRequest>().serialize(Topics.CHECK_REQUESTS, headers, Samples.request());

        assertThat(header(headers, "ce_source")).isEqualTo(CloudEventHeaders.DEFAULT_SOURCE);
        assertThat(header(headers, "ce_time")).isEqualTo("2026-05-01T02:00:00Z");
    }

    @Test
    void tombstoneStaysNullWithoutHeaders() {
        Headers headers = new RecordHeaders();

        assertThat(serializer("/x").serialize(Topics.INVENTORY_DEVICES, headers, null)).isNull();
        assertThat(headers.toArray()).isEmpty();
        assertThat(new EventDeserializer<>(DeviceSnapshot.class).deserialize(Topics.INVENTORY_DEVICES, headers, (byte[]) null))
                .isNull();
    }

    @Test
    void snapshotIdsAreDeterministicPerIdAndVersion() {
        DeviceSnapshot device = Samples.device();
        UUID expected = UUID.nameUUIDFromBytes(("io.bandwatch.device.snapshot.v1:" + Samples.DEVICE + ":7")
                .getBytes(StandardCharsets.UTF_8));
        Headers first = new RecordHeaders();
        Headers second = new RecordHeaders();

        serializer("/bandwatch/inventory-service").serialize(Topics.INVENTORY_DEVICES, first, device);
        serializer("/bandwatch/inventory-service").serialize(Topics.INVENTORY_DEVICES, second, Samples.device());

        assertThat(header(first, "ce_id")).isEqualTo(expected.toString()).isEqualTo(header(second, "ce_id"));
        assertThat(header(first, "ce_time")).isEqualTo("2026-05-01T02:00:00Z");
        DeviceSnapshot nextVersion = new DeviceSnapshot(device.id(), device.organizationId(), device.name(),
                device.address(), device.sshPort(), device.sshUser(), device.authMethod(), device.hostKeyFingerprint(),
                device.tags(), device.enabled(), 8, device.updatedAt());
        assertThat(nextVersion.eventId()).isNotEqualTo(device.eventId());
        assertThat(Samples.server().eventId()).isEqualTo(Samples.server().eventId())
                .isNotEqualTo(Samples.serverMinimal().eventId());
        assertThat(Samples.iperf3Check().eventId()).isNotEqualTo(Samples.pingCheck().eventId());
    }

    @Test
    void healthIdChangesWithTheChangeOnly() {
        DeviceHealth health = Samples.health();
        DeviceHealth sameChangeOtherReason = new DeviceHealth(health.deviceId(), health.organizationId(),
                health.status(), health.changedAt(), "other words");
        DeviceHealth later = new DeviceHealth(health.deviceId(), health.organizationId(), health.status(),
                health.changedAt().plusSeconds(1), health.reason());

        assertThat(sameChangeOtherReason.eventId()).isEqualTo(health.eventId());
        assertThat(later.eventId()).isNotEqualTo(health.eventId());
    }

    @Test
    void headersMapHasTheSixAttributesInOrder() {
        Map<String, byte[]> headers = CloudEventHeaders.of(EventType.CHECK_REQUEST, "abc", "/src",
                Instant.parse("2026-01-02T03:04:05Z"));

        assertThat(headers.keySet()).containsExactly("ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion",
                "content-type");
        assertThat(CloudEventHeaders.get(headers, "ce_id")).contains("abc");
        assertThat(CloudEventHeaders.get(headers, "ce_type")).contains("io.bandwatch.check.request.v1");
        assertThat(CloudEventHeaders.get(headers, "ce_time")).contains("2026-01-02T03:04:05Z");
        assertThat(CloudEventHeaders.get(headers, "missing")).isEmpty();
    }

    @Test
    void readHelpers() {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.addMissing(headers, Samples.notification(), "/bandwatch/alert-service");

        assertThat(CloudEventHeaders.id(headers)).contains(Samples.EVENT.toString());
        assertThat(CloudEventHeaders.type(headers)).contains(EventType.ALERT_NOTIFICATION);
        assertThat(CloudEventHeaders.source(headers)).contains("/bandwatch/alert-service");
        assertThat(CloudEventHeaders.time(headers)).contains(Samples.T1);
        headers.remove("ce_time");
        headers.add("ce_time", "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(CloudEventHeaders.time(headers)).isEmpty();
        assertThat(CloudEventHeaders.type(new RecordHeaders())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serializerAndDeserializerRoundTripEveryType(EventType type) {
        Event event = Samples.full(type);
        Headers headers = new RecordHeaders();
        byte[] value = serializer("/t").serialize(type.topic(), headers, event);

        assertThat(new EventDeserializer<>().deserialize(type.topic(), headers, value)).isEqualTo(event);
        assertThat(new EventDeserializer<>().deserialize(type.topic(), value)).isEqualTo(event);
        assertThat(new EventDeserializer<>().deserialize(Topics.deadLetter(type.topic()), value)).isEqualTo(event);
        assertThat(new EventDeserializer<>().deserialize("some-other-topic", headers, value)).isEqualTo(event);
    }

    @Test
    void deserializerTypeFromConfig() {
        byte[] value = EventJson.write(Samples.iperf3Result());
        EventDeserializer<CheckResult> byName = new EventDeserializer<>();
        byName.configure(Map.of(EventDeserializer.CLASS_CONFIG, "io.bandwatch.events.CheckResult"), false);
        EventDeserializer<CheckResult> bySimpleName = new EventDeserializer<>();
        bySimpleName.configure(Map.of(EventDeserializer.CLASS_CONFIG, "CheckResult"), false);
        EventDeserializer<CheckResult> byClass = new EventDeserializer<>();
        byClass.configure(Map.of(EventDeserializer.CLASS_CONFIG, CheckResult.class), false);

        assertThat(byName.deserialize("anything", value)).isEqualTo(Samples.iperf3Result());
        assertThat(bySimpleName.expectedType()).contains(EventType.CHECK_RESULT);
        assertThat(byClass.expectedType()).contains(EventType.CHECK_RESULT);
        assertThatThrownBy(() -> new EventDeserializer<>().configure(Map.of(EventDeserializer.CLASS_CONFIG,
                "java.lang.String"), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bandwatch.event.class");
    }

    @Test
    void deserializerRefusesAPayloadOfAnotherKnownType() {
        Headers headers = new RecordHeaders();
        byte[] value = serializer("/t").serialize(Topics.CHECK_RESULTS, headers, Samples.health());

        assertThatThrownBy(() -> new EventDeserializer<>(CheckResult.class).deserialize(Topics.CHECK_RESULTS, headers,
                value)).isInstanceOf(EventFormatException.class)
                .hasMessage("check.result v1: ce_type header is io.bandwatch.device.health.v1, expected "
                        + "io.bandwatch.check.result.v1");
    }

    @Test
    void deserializerFailsClearlyOnPoisonAndUnknownTopics() {
        byte[] poison = "{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new EventDeserializer<>().deserialize(Topics.CHECK_RESULTS, poison))
                .isInstanceOf(EventFormatException.class).hasMessageStartingWith("check.result v1: invalid field 'event_id'");
        assertThatThrownBy(() -> new EventDeserializer<>().deserialize("unknown.topic", poison))
                .isInstanceOf(SerializationException.class).hasMessageContaining("bandwatch.event.class");
    }
}
