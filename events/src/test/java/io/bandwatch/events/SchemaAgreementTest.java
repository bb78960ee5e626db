package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON Schemas and the records describe the same fields, requirements, enums, defaults and patterns. */
class SchemaAgreementTest {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private static List<String> names(Iterator<String> iterator) {
        List<String> names = new ArrayList<>();
        iterator.forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** Walks a record class and its schema together, comparing properties, required sets and enums. */
    private static int agree(JsonNode root, Class<?> recordClass, JsonNode schema, String where) {
        schema = Schemas.resolve(root, schema);
        RecordComponent[] components = recordClass.getRecordComponents();
        List<String> jsonNames = new ArrayList<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : components) {
            String name = SNAKE.translate(component.getName());
            jsonNames.add(name);
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property != null && property.required()) {
                required.add(name);
            }
        }
        assertThat(names(schema.get("properties").fieldNames())).as("properties of %s", where)
                .containsExactlyElementsOf(jsonNames);
        assertThat(schema.has("required") ? texts(schema.get("required")) : List.of()).as("required of %s", where)
                .containsExactlyElementsOf(required);
        assertThat(schema.path("additionalProperties").asBoolean(true)).as("%s is closed", where).isFalse();
        int checked = 1;
        for (RecordComponent component : components) {
            String name = SNAKE.translate(component.getName());
            JsonNode property = Schemas.resolve(root, schema.get("properties").get(name));
            Class<?> type = component.getType();
            if (type.isRecord()) {
                checked += agree(root, type, property, where + "." + name);
            } else if (type.isEnum()) {
                List<String> values = new ArrayList<>();
                for (Object constant : type.getEnumConstants()) {
                    values.add(EventJson.writeString(constant).replace("\"", ""));
                }
                assertThat(texts(property.get("enum"))).as("enum of %s.%s", where, name)
                        .containsExactlyInAnyOrderElementsOf(values);
            }
        }
        return checked;
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaAndRecordHaveTheSameFieldsRequirementsAndEnums(EventType type) {
        JsonNode root = Schemas.node(type);

        int records = agree(root, type.eventClass(), root, type.schemaName());

        assertThat(records).isGreaterThanOrEqualTo(1);
    }

    @Test
    void nestedRecordsAreWalkedToo() {
        JsonNode check = Schemas.node(EventType.CHECK_SNAPSHOT);
        JsonNode result = Schemas.node(EventType.CHECK_RESULT);

        // check snapshot: itself, schedule, iperf3 options, client options, tcp, udp, ping options
        assertThat(agree(check, CheckSnapshot.class, check, "check-snapshot")).isEqualTo(7);
        // check result: itself, server, error, iperf3 metrics, ping metrics
        assertThat(agree(result, CheckResult.class, result, "check-result")).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaIsNamedAfterItsEventType(EventType type) {
        JsonNode schema = Schemas.node(type);

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$id").asText()).isEqualTo("urn:bandwatch:events:" + type.schemaName() + ":v1");
        assertThat(schema.get("description").asText()).contains(type.ceType()).contains(type.topic());
    }

    static Stream<EventType> types() {
        return Stream.of(EventType.values());
    }

    @ParameterizedTest
    @MethodSource("types")
    void schemaIsValidAgainstTheDraft202012MetaSchema(EventType type) {
        JsonSchema meta = Schemas.FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"),
                Schemas.CONFIG);

        assertThat(meta.validate(Schemas.node(type))).isEmpty();
    }

    @Test
    void schemaPatternsAreTheJavaOnes() {
        JsonNode check = Schemas.node(EventType.CHECK_SNAPSHOT);
        JsonNode defs = check.get("$defs");

        assertThat(defs.at("/size/pattern").asText()).isEqualTo(IperfSize.REGEX);
        assertThat(defs.at("/client_options/properties/bytes/anyOf/1/pattern").asText()).isEqualTo(IperfSize.REGEX);
        assertThat(defs.at("/client_options/properties/blockcount/anyOf/1/pattern").asText()).isEqualTo(IperfSize.REGEX);
        assertThat(defs.at("/schedule/properties/cron/pattern").asText()).isEqualTo(Schedule.CRON_REGEX);
        assertThat(defs.at("/iperf3_options/properties/username/pattern").asText())
                .isEqualTo(Iperf3Options.USERNAME_REGEX);
        assertThat(Schemas.node(EventType.DEVICE_SNAPSHOT).at("/properties/host_key_fingerprint/pattern").asText())
                .isEqualTo(DeviceSnapshot.FINGERPRINT_REGEX);
        assertThat(Schemas.node(EventType.CHECK_RESULT).at("/$defs/result_error/properties/message/maxLength").asInt())
                .isEqualTo(ResultError.MAX_MESSAGE_LENGTH);
    }

    @Test
    void alertFieldEnumIsEveryMetricField() {
        List<String> all = new ArrayList<>(Metrics.fieldNames(CheckType.IPERF3));
        all.addAll(Metrics.fieldNames(CheckType.PING));

        assertThat(texts(Schemas.node(EventType.ALERT_NOTIFICATION).at("/properties/field/enum")))
                .containsExactlyElementsOf(all);
    }

    /** Every "default" of the schema equals the value the Java defaults write. */
    private static int defaultsAgree(JsonNode root, JsonNode schema, JsonNode defaults, String where) {
        schema = Schemas.resolve(root, schema);
        int checked = 0;
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode propertySchema = property.getValue();
            JsonNode value = defaults.get(property.getKey());
            if (propertySchema.has("default")) {
                assertThat(value).as("default of %s.%s", where, property.getKey()).isEqualTo(propertySchema.get("default"));
                checked++;
            }
            if (value != null && value.isObject()) {
                checked += defaultsAgree(root, propertySchema, value, where + "." + property.getKey());
            }
        }
        return checked;
    }

    @Test
    void schemaDefaultsAreTheJavaDefaults() throws Exception {
        JsonNode check = Schemas.node(EventType.CHECK_SNAPSHOT);
        JsonNode iperf3 = Schemas.PLAIN.readTree(EventJson.write(Iperf3Options.defaults()));
        JsonNode ping = Schemas.PLAIN.readTree(EventJson.write(PingOptions.defaults()));
        JsonNode schedule = Schemas.PLAIN.readTree(EventJson.write(Schedule.ofInterval(Schedule.MIN_INTERVAL)));

        int checked = defaultsAgree(check, check.at("/$defs/iperf3_options"), iperf3, "iperf3")
                + defaultsAgree(check, check.at("/$defs/ping_options"), ping, "ping")
                + defaultsAgree(check, check.at("/$defs/schedule"), schedule, "schedule");

        // host, 9 client options + 2x2 tcp/udp, 4 ping options, time_zone and random_slip
        assertThat(checked).isEqualTo(1 + 9 + 4 + 4 + 2);
        JsonNode device = Schemas.node(EventType.DEVICE_SNAPSHOT);
        assertThat(defaultsAgree(device, device, Schemas.PLAIN.readTree(EventJson.write(Samples.deviceMinimal())),
                "device")).isEqualTo(1);
    }
}
