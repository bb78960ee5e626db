package io.bandwatch.alert.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventDeserializer;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The consumer's reader of {@code check.results} gives what the events' {@link EventDeserializer} gives, for every
 * record: the same result, or the same refusal with the same message (the dead letter's reason).
 */
class ResultReaderTest {

    private final ResultReader reader = new ResultReader();
    private final EventDeserializer<CheckResult> events = new EventDeserializer<>(CheckResult.class);
    private final Fixture fixture = Fixture.iperf3();

    private static final String CANONICAL = "\"finished_at\":\"2025-01-01T02:00:00Z\"";
    private static final String STARTED = "\"started_at\":\"2025-01-01T01:59:40Z\"";

    private byte[] json() {
        return EventJson.write(fixture.iperf3(Instant.parse("2025-01-01T02:00:00Z"), 4e6));
    }

    /** The same outcome from both readers: equal results, or exceptions of the same class and message. */
    private CheckResult same(Headers headers, byte[] data) {
        CheckResult expected;
        try {
            expected = events.deserialize("check.results", headers, data);
        } catch (RuntimeException refused) {
            assertThatThrownBy(() -> reader.deserialize("check.results", headers, data))
                    .isInstanceOf(refused.getClass()).hasMessage(refused.getMessage());
            return null;
        }
        CheckResult read = reader.deserialize("check.results", headers, data);
        assertThat(read).isEqualTo(expected);
        return read;
    }

    private CheckResult sameWithFinishedAt(String jsonValue) {
        String json = new String(json(), StandardCharsets.UTF_8);
        assertThat(json).contains(CANONICAL).contains(STARTED);
        return same(null, json.replace(STARTED, "\"started_at\":\"0001-01-01T00:00:00Z\"")
                .replace(CANONICAL, "\"finished_at\":" + jsonValue).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aResultAsTheEventsReadIt() {
        RecordHeaders headers = new RecordHeaders();
        CheckResult result = fixture.iperf3(Instant.parse("2025-03-01T02:00:00.123456789Z"), 4e6);
        CloudEventHeaders.of(result, "/test").forEach(headers::add);
        assertThat(same(headers, EventJson.write(result))).isEqualTo(result);
        assertThat(same(null, json())).isNotNull();
    }

    @Test
    void instantsReadFromTheirDigitsAreTheFormattersInstants() {
        List<String> read = new ArrayList<>();
        for (String t : List.of("2025-01-01T02:00:00Z", "2025-01-01T02:00:00.5Z", "2025-01-01T02:00:00.000000001Z",
                "2025-01-01T02:00:00.123456789Z", "2024-02-29T23:59:59Z", "2025-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.9Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            CheckResult r = sameWithFinishedAt("\"" + t + "\"");
            assertThat(r.finishedAt()).isEqualTo(Instant.parse(t));
            read.add(t);
        }
        assertThat(read).hasSize(10);
    }

    @Test
    void theDigitsAreReadOnlyInTheCanonicalForm() {
        assertThat(canonical("2025-03-01T02:00:00.25Z")).isEqualTo(Instant.parse("2025-03-01T02:00:00.25Z"));
        assertThat(canonical("x2024-02-29T00:00:00Zx".substring(1, 21))).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        for (String t : List.of("2025-02-29T02:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T02:00:60Z",
                "2025-01-01T02:00:00.Z", "2025-01-01T02:00:00+00:00", "2025-01-01T02:00:00", "2025-01-01T02:00:0xZ")) {
            assertThat(canonical(t)).as(t).isNull();
        }
    }

    private static Instant canonical(String text) {
        char[] padded = ("ab" + text + "cd").toCharArray();
        return ResultReader.CanonicalInstants.canonical(padded, 2, text.length());
    }

    @Test
    void otherSpellingsAreDecidedByTheEventsReader() {
        for (String t : List.of("\"2025-02-29T02:00:00Z\"", "\"2025-04-31T02:00:00Z\"", "\"2025-13-01T02:00:00Z\"",
                "\"2025-01-01T24:00:00Z\"", "\"2025-01-01T02:60:00Z\"", "\"2025-01-01T02:00:60Z\"",
                "\"2025-01-01T02:00:00.Z\"", "\"2025-01-01T02:00:00.1234567890Z\"", "\"2025-01-01T02:00:00+00:00\"",
                "\"2025-01-01T03:00:00+01:00\"", "\"2025-01-01t02:00:00z\"", "\" 2025-01-01T02:00:00Z\"",
                "\"2025-01-01 02:00:00Z\"", "\"1735696800\"", "1735696800", "\"\"", "\"2025-1-01T02:00:00Z\"",
                "\"+2025-01-01T02:00:00Z\"", "\"2025-01-01T02:00Z\"", "null", "[]", "true")) {
            sameWithFinishedAt(t);
        }
    }

    @Test
    void refusalsKeepTheEventsMessages() {
        String json = new String(json(), StandardCharsets.UTF_8);
        same(null, json.replace("\"runner_id\"", "\"unknown\":1,\"runner_id\"").getBytes(StandardCharsets.UTF_8));
        same(null, json.replace("\"status\":\"ok\"", "\"status\":\"ok\",\"status\":\"ok\"").getBytes(StandardCharsets.UTF_8));
        same(null, json.substring(0, 40).getBytes(StandardCharsets.UTF_8));
        same(null, new byte[0]);
        assertThat(reader.deserialize("check.results", null, (byte[]) null)).isNull();
        RecordHeaders other = new RecordHeaders();
        other.add(CloudEventHeaders.TYPE, EventType.DEVICE_HEALTH.ceType().getBytes(StandardCharsets.UTF_8));
        same(other, json());
        assertThatThrownBy(() -> reader.deserialize("check.results", other, json()))
                .hasMessageContaining("ce_type header is " + EventType.DEVICE_HEALTH.ceType());
    }
}
