package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Payloads that break the contract are rejected by the code with a message naming the field, and
 * are invalid against the JSON Schema too: schema and code agree on required fields and bounds.
 */
class ContractViolationTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static ObjectNode tree(Event event) {
        try {
            return (ObjectNode) Schemas.PLAIN.readTree(EventJson.write(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that the code rejects the payload naming the field, and that the schema rejects it too. */
    private static void assertRejected(EventType type, JsonNode payload, String field, String detail) {
        String json = payload.toString();
        assertThatThrownBy(() -> EventJson.read(json, type.eventClass()))
                .as("code rejects %s", json)
                .isInstanceOfSatisfying(EventFormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith(type.label() + ": ").contains(detail + " '" + field + "'");
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.eventLabel()).isEqualTo(type.label());
                });
        assertThat(Schemas.validate(type, payload)).as("schema rejects %s", json).isNotEmpty();
    }

    // ---- required fields, generated from the schemas' "required" arrays --------------------------

    /** Dotted paths of every field a schema requires at any depth, where the sample has it. */
    private static void requiredPaths(JsonNode root, JsonNode schema, JsonNode instance, String prefix,
            List<String> out) {
        schema = Schemas.resolve(root, schema);
        if (schema.has("required")) {
            for (JsonNode name : schema.get("required")) {
                assertThat(instance.has(name.asText())).as("sample has required %s%s", prefix, name.asText()).isTrue();
                out.add(prefix + name.asText());
            }
        }
        if (schema.has("properties")) {
            Iterator<Map.Entry<String, JsonNode>> properties = schema.get("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                JsonNode value = instance.get(property.getKey());
                if (value != null && value.isObject()) {
                    requiredPaths(root, property.getValue(), value, prefix + property.getKey() + ".", out);
                }
            }
        }
    }

    private static JsonPointer pointer(String dottedPath) {
        return JsonPointer.compile("/" + dottedPath.replace('.', '/'));
    }

    @TestFactory
    Stream<DynamicTest> missingRequiredFieldIsRejectedNamingIt() {
        Map<String, DynamicTest> tests = new LinkedHashMap<>();
        for (Event sample : Samples.all()) {
            EventType type = sample.eventType();
            JsonNode root = Schemas.node(type);
            List<String> paths = new ArrayList<>();
            requiredPaths(root, root, tree(sample), "", paths);
            for (String path : paths) {
                tests.putIfAbsent(type + " " + path, dynamicTest(type.label() + " without " + path, () -> {
                    ObjectNode payload = tree(sample);
                    JsonPointer at = pointer(path);
                    ((ObjectNode) payload.at(at.head())).remove(at.last().getMatchingProperty());
                    assertRejected(type, payload, path, "missing required field");
                }));
                tests.putIfAbsent(type + " null " + path, dynamicTest(type.label() + " with null " + path, () -> {
                    ObjectNode payload = tree(sample);
                    JsonPointer at = pointer(path);
                    ((ObjectNode) payload.at(at.head())).putNull(at.last().getMatchingProperty());
                    assertRejected(type, payload, path, "missing required field");
                }));
            }
        }
        assertThat(tests).containsKeys("CHECK_RESULT device_id", "CHECK_RESULT server.fencing_token",
                "CHECK_RESULT error.code", "CHECK_RESULT iperf3.iperf3_result", "CHECK_RESULT ping.loss",
                "DEVICE_SNAPSHOT ssh_port", "ALERT_NOTIFICATION tolerance", "DEVICE_HEALTH changed_at");
        return tests.values().stream();
    }

    @Test
    void everyEventTypeHasRequiredFields() {
        for (EventType type : EventType.values()) {
            assertThat(Schemas.node(type).get("required")).as(type.name()).isNotEmpty();
        }
    }

    // ---- fields required or forbidden by another field's value ----------------------------------

    @Test
    void failedResultWithoutErrorIsRejected() {
        ObjectNode payload = tree(Samples.iperf3Failed());
        payload.remove("error");
        assertRejected(EventType.CHECK_RESULT, payload, "error", "invalid field");
    }

    @Test
    void okResultWithErrorIsRejected() {
        ObjectNode payload = tree(Samples.iperf3Failed());
        payload.put("status", "ok");
        assertRejected(EventType.CHECK_RESULT, payload, "error", "invalid field");
    }

    @Test
    void iperf3ResultWithoutIperf3MetricsIsRejected() {
        ObjectNode payload = tree(Samples.iperf3Failed());
        payload.remove("iperf3");
        assertRejected(EventType.CHECK_RESULT, payload, "iperf3", "invalid field");
    }

    @Test
    void okIperf3ResultNeedsIperf3ResultOneAndAServer() {
        ObjectNode zero = tree(Samples.iperf3Result());
        zero.set("iperf3", NODES.objectNode().put("iperf3_result", 0));
        assertRejected(EventType.CHECK_RESULT, zero, "iperf3.iperf3_result", "invalid field");

        ObjectNode noServer = tree(Samples.iperf3Result());
        noServer.remove("server");
        assertRejected(EventType.CHECK_RESULT, noServer, "server", "invalid field");
    }

    @Test
    void pingResultRules() {
        ObjectNode okWithoutPing = tree(Samples.pingResult());
        okWithoutPing.remove("ping");
        assertRejected(EventType.CHECK_RESULT, okWithoutPing, "ping", "invalid field");

        ObjectNode failedWithPing = tree(Samples.pingFailed());
        failedWithPing.set("ping", tree(Samples.pingResult()).get("ping"));
        assertRejected(EventType.CHECK_RESULT, failedWithPing, "ping", "invalid field");

        ObjectNode withIperf3 = tree(Samples.pingResult());
        withIperf3.set("iperf3", NODES.objectNode().put("iperf3_result", 0));
        assertRejected(EventType.CHECK_RESULT, withIperf3, "iperf3", "invalid field");

        ObjectNode withServer = tree(Samples.pingResult());
        withServer.set("server", tree(Samples.iperf3Result()).get("server"));
        assertRejected(EventType.CHECK_RESULT, withServer, "server", "invalid field");
    }

    @Test
    void checkSnapshotParametersMustMatchItsType() {
        ObjectNode pingTypeWithIperf3 = tree(Samples.iperf3Check());
        pingTypeWithIperf3.put("type", "ping");
        assertRejected(EventType.CHECK_SNAPSHOT, pingTypeWithIperf3, "ping", "invalid field");

        ObjectNode both = tree(Samples.iperf3Check());
        both.set("ping", NODES.objectNode());
        assertRejected(EventType.CHECK_SNAPSHOT, both, "ping", "invalid field");

        ObjectNode iperf3Missing = tree(Samples.iperf3Check());
        iperf3Missing.remove("iperf3");
        assertRejected(EventType.CHECK_SNAPSHOT, iperf3Missing, "iperf3", "invalid field");
    }

    @Test
    void scheduleNeedsExactlyOneOfCronAndInterval() {
        ObjectNode both = tree(Samples.iperf3Check());
        ((ObjectNode) both.get("schedule")).put("interval", "PT5M");
        assertRejected(EventType.CHECK_SNAPSHOT, both, "schedule", "invalid field");

        ObjectNode neither = tree(Samples.iperf3Check());
        ((ObjectNode) neither.get("schedule")).remove("cron");
        assertRejected(EventType.CHECK_SNAPSHOT, neither, "schedule", "invalid field");
    }

    // ---- bounds and syntax -----------------------------------------------------------------------

    private static Event sample(String name) {
        return switch (name) {
            case "device" -> Samples.device();
            case "server" -> Samples.server();
            case "iperf3Check" -> Samples.iperf3Check();
            case "pingCheck" -> Samples.pingCheck();
            case "request" -> Samples.request();
            case "iperf3Result" -> Samples.iperf3Result();
            case "iperf3Failed" -> Samples.iperf3Failed();
            case "pingResult" -> Samples.pingResult();
            case "notification" -> Samples.notification();
            case "health" -> Samples.health();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            iperf3Check  | iperf3.client_options.port            | 0                  | iperf3.client_options.port
            iperf3Check  | iperf3.client_options.port            | 65536              | iperf3.client_options.port
            iperf3Check  | iperf3.client_options.parallel        | 129                | iperf3.client_options.parallel
            iperf3Check  | iperf3.client_options.parallel        | 0                  | iperf3.client_options.parallel
            iperf3Check  | iperf3.client_options.time            | 1801               | iperf3.client_options.time
            iperf3Check  | iperf3.client_options.time            | 0                  | iperf3.client_options.time
            iperf3Check  | iperf3.client_options.connect_timeout | 0                  | iperf3.client_options.connect_timeout
            iperf3Check  | iperf3.client_options.tcp.bitrate     | '"10M; rm -rf /"'  | iperf3.client_options.tcp.bitrate
            iperf3Check  | iperf3.client_options.tcp.length      | '"$(reboot)"'      | iperf3.client_options.tcp.length
            iperf3Check  | iperf3.client_options.udp.bitrate     | '"30 M"'           | iperf3.client_options.udp.bitrate
            iperf3Check  | iperf3.client_options.udp.length      | '"1.5X"'           | iperf3.client_options.udp.length
            iperf3Check  | iperf3.client_options.window          | '""'               | iperf3.client_options.window
            iperf3Check  | iperf3.client_options.bytes           | '"-1"'             | iperf3.client_options.bytes
            iperf3Check  | iperf3.client_options.bidirectional   | true               | iperf3.client_options.bidirectional
            iperf3Check  | iperf3.client_options.bytes           | '"10M"'            | iperf3.client_options.blockcount
            iperf3Check  | iperf3.client_options.port            | '"5201"'           | iperf3.client_options.port
            iperf3Check  | iperf3.client_options.parallel        | 1.5                | iperf3.client_options.parallel
            iperf3Check  | iperf3.client_options.reverse         | '"yes"'            | iperf3.client_options.reverse
            iperf3Check  | iperf3.client_options.tcp.bitrate     | 10                 | iperf3.client_options.tcp.bitrate
            iperf3Check  | iperf3.host                           | '["ok.example", "bad host"]' | iperf3.host[1]
            iperf3Check  | iperf3.username                       | '""'               | iperf3.username
            iperf3Check  | iperf3.username                       | '"abcdefghijklmnopqrstu"' | iperf3.username
            iperf3Check  | iperf3.username                       | '"a b"'            | iperf3.username
            iperf3Check  | schedule.cron                         | '"* * *"'          | schedule.cron
            iperf3Check  | schedule.cron                         | '"0 2 * * * ; ls"' | schedule.cron
            iperf3Check  | schedule.random_slip                  | '"PT-1S"'          | schedule.random_slip
            iperf3Check  | version                               | -1                 | version
            iperf3Check  | version                               | '"12"'             | version
            iperf3Check  | active                                | '"true"'           | active
            iperf3Check  | type                                  | '"http"'           | type
            pingCheck    | ping.count                            | 1                  | ping.count
            pingCheck    | ping.count                            | 21                 | ping.count
            pingCheck    | ping.interval                         | 9                  | ping.interval
            pingCheck    | ping.interval                         | 1001               | ping.interval
            pingCheck    | ping.bytes                            | 11                 | ping.bytes
            pingCheck    | ping.bytes                            | 65509              | ping.bytes
            pingCheck    | ping.timeout                          | 4                  | ping.timeout
            pingCheck    | ping.timeout                          | 1501               | ping.timeout
            pingCheck    | ping.count                            | 5.5                | ping.count
            pingCheck    | schedule.interval                     | '"five minutes"'   | schedule.interval
            device       | ssh_port                              | 0                  | ssh_port
            device       | ssh_port                              | 65536              | ssh_port
            device       | address                               | '"not a host!"'    | address
            device       | address                               | '"-router.example"' | address
            device       | address                               | '"256.1.1.1"'      | address
            device       | address                               | '"2001:db8:::1"'   | address
            device       | host_key_fingerprint                  | '"MD5:16:27:ac:a5"' | host_key_fingerprint
            device       | name                                  | '"  "'             | name
            device       | tags                                  | '["ok", " "]'      | tags[1]
            device       | auth_method                           | '"token"'          | auth_method
            device       | updated_at                            | '"yesterday"'      | updated_at
            device       | id                                    | '"not-a-uuid"'     | id
            server       | port                                  | 70000              | port
            server       | host                                  | '"bad_host.example"' | host
            server       | organization_ids                      | '["nope"]'         | organization_ids[0]
            server       | auth_required                         | 1                  | auth_required
            request      | requested_by                          | '" "'              | requested_by
            request      | requested_at                          | '"2026-13-01T00:00:00Z"' | requested_at
            iperf3Result | iperf3.iperf3_result                  | 2                  | iperf3.iperf3_result
            iperf3Result | iperf3.lost_percent                   | 101                | iperf3.lost_percent
            iperf3Result | iperf3.jitter                         | -0.5               | iperf3.jitter
            iperf3Result | iperf3.retransmits                    | -1                 | iperf3.retransmits
            iperf3Result | iperf3.sent_bytes_tcp                 | 1.5                | iperf3.sent_bytes_tcp
            iperf3Result | server.port                           | 0                  | server.port
            iperf3Result | server.fencing_token                  | -1                 | server.fencing_token
            iperf3Result | server.host                           | '"a b"'            | server.host
            iperf3Result | status                                | '"partial"'        | status
            iperf3Result | type                                  | '"http"'           | type
            iperf3Failed | error.code                            | '"oops"'           | error.code
            iperf3Failed | iperf3.sent_bps_tcp                   | 1                  | iperf3.sent_bps_tcp
            pingResult   | ping.reachable                        | 0                  | ping.reachable
            pingResult   | ping.loss                             | 100                | ping.reachable
            pingResult   | ping.loss                             | 100.5              | ping.loss
            pingResult   | ping.rtt_min                          | -1                 | ping.rtt_min
            pingResult   | runner_id                             | '""'               | runner_id
            notification | field                                 | '"bandwidth"'      | field
            notification | operator                              | '"<="'             | operator
            notification | tolerance                             | '"PT-5M"'          | tolerance
            notification | tolerance                             | '"48h"'            | tolerance
            notification | type                                  | '"warning"'        | type
            notification | threshold                             | '"10M"'            | threshold
            notification | message                               | '""'               | message
            health       | status                                | '"fine"'           | status
            health       | reason                                | '""'               | reason
            health       | changed_at                            | 1714528800         | changed_at
            """)
    void outOfBoundsOrMalformedValueIsRejectedNamingTheField(String sampleName, String path, String json,
            String field) throws Exception {
        Event sample = sample(sampleName);
        ObjectNode payload = tree(sample);
        JsonPointer at = pointer(path);
        ((ObjectNode) payload.at(at.head())).set(at.last().getMatchingProperty(), Schemas.PLAIN.readTree(json));

        assertRejected(sample.eventType(), payload, field, "invalid field");
    }

    @Test
    void malformedAndEmptyPayloadsAreRejectedWithTheEventLabel() {
        assertThatThrownBy(() -> EventJson.read("{\"event_id\":", CheckResult.class))
                .isInstanceOf(EventFormatException.class).hasMessageStartingWith("check.result v1: malformed JSON");
        assertThatThrownBy(() -> EventJson.read(new byte[0], CheckResult.class))
                .isInstanceOf(EventFormatException.class).hasMessage("check.result v1: empty payload");
        assertThatThrownBy(() -> EventJson.read("[]", DeviceHealth.class))
                .isInstanceOf(EventFormatException.class).hasMessageStartingWith("device.health v1: invalid payload");
        assertThatThrownBy(() -> EventJson.read(EventJson.writeString(Samples.health()) + "{}", DeviceHealth.class))
                .isInstanceOf(EventFormatException.class).hasMessageStartingWith("device.health v1: ");
    }

    @Test
    void aListElementThatIsNullIsRejectedNamingItsIndex() {
        ObjectNode payload = tree(Samples.device());
        ((ArrayNode) payload.get("tags")).addNull();

        assertRejected(EventType.DEVICE_SNAPSHOT, payload, "tags[2]", "invalid field");
    }
}
