package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

    static Stream<Event> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void writeThenReadGivesAnEqualEvent(Event event) {
        byte[] json = EventJson.write(event);

        assertThat(EventJson.read(json, event.getClass())).isEqualTo(event);
        assertThat(EventJson.read(new String(json, StandardCharsets.UTF_8), event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void writtenJsonValidatesAgainstItsSchema(Event event) throws Exception {
        JsonNode json = Schemas.PLAIN.readTree(EventJson.write(event));

        assertThat(Schemas.validate(event.eventType(), json)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void samplesTogetherUseEverySchemaProperty(EventType type) throws Exception {
        Set<String> written = new LinkedHashSet<>();
        for (Event event : Samples.all()) {
            if (event.eventType() == type) {
                Iterator<String> names = Schemas.PLAIN.readTree(EventJson.write(event)).fieldNames();
                names.forEachRemaining(written::add);
            }
        }
        Set<String> declared = new LinkedHashSet<>();
        Schemas.node(type).get("properties").fieldNames().forEachRemaining(declared::add);

        assertThat(written).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void anyObjectMapperWritesTheSameJsonBecauseNamesComeFromAnnotations() throws Exception {
        ObjectMapper plain = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        for (Event event : Samples.all()) {
            assertThat(plain.writeValueAsString(event)).isEqualTo(EventJson.writeString(event));
        }
    }

    @Test
    void configureMakesAQuarkusStyleMapperReadAndWriteEvents() throws Exception {
        ObjectMapper quarkusLike = new ObjectMapper();
        EventJson.configure(quarkusLike);
        for (Event event : Samples.all()) {
            String json = quarkusLike.writeValueAsString(event);
            assertThat(json).isEqualTo(EventJson.writeString(event));
            assertThat(quarkusLike.readValue(json, event.getClass())).isEqualTo(event);
        }
    }

    @Test
    void mapperIsACopyThatCannotChangeTheSharedConfiguration() {
        EventJson.mapper().enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        assertThat(EventJson.writeString(Samples.request())).contains("\"requested_at\":\"2026-05-01T02:00:00Z\"");
    }

    @Test
    void anUnknownFieldIsRefusedAtEveryLevelByTheReaderAndTheSchema() throws Exception {
        String sample = EventJson.writeString(Samples.iperf3Result());
        // top level and two nested objects (server, iperf3 metrics)
        java.util.Map<String, String[]> cases = java.util.Map.of(
                "added_in_v1_1", new String[] {"{\"event_id\"", "{\"added_in_v1_1\":{\"x\":1},\"event_id\""},
                "server.zone", new String[] {"\"fencing_token\"", "\"zone\":\"eu\",\"fencing_token\""},
                "iperf3.omit", new String[] {"\"iperf3_result\"", "\"omit\":2,\"iperf3_result\""});
        for (var c : cases.entrySet()) {
            String json = sample.replace(c.getValue()[0], c.getValue()[1]);
            assertThat(json).as("the sample has %s", c.getValue()[0]).contains(c.getValue()[1]);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json, CheckResult.class))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("unknown field '" + c.getKey() + "'");
            assertThat(Schemas.validate(EventType.CHECK_RESULT, Schemas.PLAIN.readTree(json))).as(c.getKey()).isNotEmpty();
        }
    }

    @Test
    void anUnknownClientOptionIsRefusedWithItsPath() {
        String json = EventJson.writeString(Samples.iperf3Check()).replace("\"client_options\":{",
                "\"client_options\":{\"zerocopy\":true,");
        assertThat(json).contains("zerocopy");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json, CheckSnapshot.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("unknown field 'iperf3.client_options.zerocopy'");
    }

    @Test
    void aConnectTimeoutAboveTheCapReadsAsTheCapFromAnEventWhileTheRestRulesRefuseIt() throws Exception {
        // as inventory wrote snapshots before the cap: they stay on the compacted topic
        String json = EventJson.writeString(Samples.iperf3Check()).replace("\"connect_timeout\":2500",
                "\"connect_timeout\":5000000");
        assertThat(json).contains("5000000");

        CheckSnapshot read = EventJson.read(json, CheckSnapshot.class);
        assertThat(read.iperf3().clientOptions().connectTimeout())
                .isEqualTo(Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT);
        assertThat(read.iperf3().clientOptions().parallel()).isEqualTo(Samples.iperf3Options().clientOptions().parallel());
        // the rules of configure (REST requests) and the schema still refuse it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.mapper().readValue(json, CheckSnapshot.class))
                .hasRootCauseInstanceOf(InvalidFieldException.class);
        assertThat(Schemas.validate(EventType.CHECK_SNAPSHOT, Schemas.PLAIN.readTree(json))).isNotEmpty();
        // a value at or below the cap is read as it is; a fraction or a string is still refused
        assertThat(EventJson.read(json.replace("5000000", "1000000"), CheckSnapshot.class).iperf3().clientOptions()
                .connectTimeout()).isEqualTo(1_000_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json.replace("5000000", "\"5000000\""),
                CheckSnapshot.class)).isInstanceOf(EventFormatException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json.replace("5000000", "5000000.5"),
                CheckSnapshot.class)).isInstanceOf(EventFormatException.class);
    }

    @Test
    void aRepeatedKeyIsRefusedNotLastOneWins() {
        String json = EventJson.writeString(Samples.healthMinimal()).replace("{\"", "{\"status\":\"ok\",\"");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json, DeviceHealth.class))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("Duplicate field 'status'");
    }

    @Test
    void explicitNullOfAnOptionalFieldReadsAsAbsent() {
        String json = EventJson.writeString(Samples.healthMinimal()).replace("}", ",\"reason\":null}");

        assertThat(EventJson.read(json, DeviceHealth.class)).isEqualTo(Samples.healthMinimal());
    }

    @Test
    void timesAndDurationsAreIsoStrings() {
        String json = EventJson.writeString(Samples.notification());

        assertThat(json).contains("\"tolerance\":\"PT48H\"").contains("\"time\":\"2026-05-01T02:00:23.456Z\"");
    }
}
