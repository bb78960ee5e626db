package io.bandwatch.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.bandwatch.platform.problem.FieldError;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.ProblemMappers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON rules of every REST API, and the field each refusal names. */
class StrictJsonTest {

    record Nested(int port) {
    }

    record Body(String name, Boolean enabled, Integer sshPort, Duration tolerance, List<String> tags, Nested options,
            JsonNode params) {
    }

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    private FieldError refused(String json) {
        try {
            mapper.readValue(json, Body.class);
        } catch (JsonProcessingException e) {
            ProblemException problem = ProblemMappers.fromJson(e);
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).hasSize(1);
            return problem.errors().get(0);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void acceptsWhatTheApiDocuments() throws Exception {
        Body body = mapper.readValue("""
                {"name": "r1", "enabled": true, "ssh_port": 22, "tolerance": "PT5M", "tags": ["a"],
                 "options": {"port": 5201}, "params": {"host": ["h"], "n": 1}}""", Body.class);
        assertThat(body.name()).isEqualTo("r1");
        assertThat(body.sshPort()).isEqualTo(22);
        assertThat(body.tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(body.params().get("n").intValue()).isEqualTo(1);
        assertThat(mapper.readValue("{\"name\": \"emoji \\ud83d\\ude00 ok\"}", Body.class).name()).contains("\uD83D\uDE00");
    }

    @Test
    void noCoercion() {
        assertThat(refused("{\"name\": 123}")).isEqualTo(new FieldError("name", "invalid value: expected a string"));
        assertThat(refused("{\"enabled\": -1}").field()).isEqualTo("enabled");
        assertThat(refused("{\"enabled\": \"true\"}").field()).isEqualTo("enabled");
        assertThat(refused("{\"ssh_port\": \"22\"}").field()).isEqualTo("ssh_port");
        assertThat(refused("{\"ssh_port\": 22.5}").field()).isEqualTo("ssh_port");
        assertThat(refused("{\"tolerance\": 300}").field()).isEqualTo("tolerance");
        assertThat(refused("{\"tags\": [1]}").field()).isEqualTo("tags[0]");
    }

    @Test
    void unknownRepeatedAndTrailing() {
        FieldError unknown = refused("{\"name\": \"a\", \"nmae\": \"b\"}");
        assertThat(unknown.field()).isEqualTo("nmae");
        assertThat(unknown.message()).contains("unknown field", "name", "ssh_port");
        assertThat(refused("{\"name\": \"a\", \"name\": \"b\"}")).isEqualTo(new FieldError("name", "repeated key"));
        assertThat(refused("{\"options\": {\"port\": 1, \"port\": 2}}").field()).isEqualTo("options.port");
        assertThat(refused("{\"params\": {\"a\": 1, \"a\": 2}}").field()).isEqualTo("params.a");
        assertThat(refused("{\"name\": \"a\"} {}").field()).isEqualTo("body");
        assertThat(refused("{\"name\": \"a\"} x").field()).isEqualTo("body");
    }

    @Test
    void malformedNamesTheLocationAndNeverEchoesTheInput() {
        FieldError error = refused("{\"name\": \"a\",\n \"enabled\": hunter2}");
        assertThat(error.field()).isEqualTo("body");
        assertThat(error.message()).contains("malformed JSON at line 2").doesNotContain("hunter2");
    }

    @Test
    void textThatNoDatabaseTakes() {
        assertThat(refused("{\"name\": \"a\\u0000b\"}").field()).isEqualTo("name");
        assertThat(refused("{\"name\": \"a\\u0000b\"}").message()).contains("NUL");
        assertThat(refused("{\"name\": \"a\\ud800\"}").message()).contains("surrogate");
        assertThat(refused("{\"name\": \"\\udc00a\"}").field()).isEqualTo("name");
        assertThat(refused("{\"name\": \"" + "x".repeat(Text.MAX_LENGTH + 1) + "\"}").message()).contains("too long");
        assertThat(refused("{\"tags\": [\"ok\", \"a\\u0000\"]}").field()).isEqualTo("tags[1]");
        FieldError inTree = refused("{\"params\": {\"host\": [\"a\\u0000\"]}}");
        assertThat(inTree.field()).isEqualTo("params");
        assertThat(inTree.message()).startsWith("host[0]: ").contains("NUL");
    }

    @Test
    void typeErrorsInsideObjects() {
        assertThat(refused("{\"options\": {\"port\": \"5201\"}}").field()).isEqualTo("options.port");
        assertThat(refused("{\"options\": []}").field()).isEqualTo("options");
        assertThatThrownBy(() -> mapper.readValue("{\"options\": {\"port\": null}}", Body.class))
                .isInstanceOf(JsonProcessingException.class);
    }
}
