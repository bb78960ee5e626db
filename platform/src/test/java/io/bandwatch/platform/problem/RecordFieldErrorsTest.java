package io.bandwatch.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.InvalidFieldException;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.platform.json.StrictJson;
import org.junit.jupiter.api.Test;

/** A field an {@code events} record refuses inside a request body: named by its whole JSON path, its value not echoed. */
class RecordFieldErrorsTest {

    record Body(Iperf3Options iperf3) {
    }

    private static final ObjectMapper MAPPER = StrictJson.apply(new ObjectMapper());

    private static FieldError error(String json) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> MAPPER.readValue(json, Body.class));
        ProblemException problem = ProblemMappers.fromJson(e);
        assertThat(problem.status()).isEqualTo(400);
        return problem.errors().get(0);
    }

    @Test
    void aNestedRecordsFieldIsNamedOnceByItsWholePath() {
        assertThat(error("{\"iperf3\": {\"client_options\": {\"tcp\": {\"bitrate\": \"10M; reboot\"}}}}"))
                .isEqualTo(new FieldError("iperf3.client_options.tcp.bitrate", "not an iperf3 size"));
        assertThat(error("{\"iperf3\": {\"client_options\": {\"parallel\": 500}}}"))
                .isEqualTo(new FieldError("iperf3.client_options.parallel", "must be between 1 and 128, was 500"));
        assertThat(error("{\"iperf3\": {\"host\": [\"ok.example.net\", \"bad host\"]}}"))
                .isEqualTo(new FieldError("iperf3.host[1]", "not a host name or IP address"));
    }

    @Test
    void theJoinOverlapsWhereTheRecordRepeatsThePath() {
        assertThat(ProblemMappers.join("iperf3.client_options.tcp", "client_options.tcp.bitrate"))
                .isEqualTo("iperf3.client_options.tcp.bitrate");
        assertThat(ProblemMappers.join("client_options", "client_options.port")).isEqualTo("client_options.port");
        assertThat(ProblemMappers.join("schedule", "interval")).isEqualTo("schedule.interval");
    }

    @Test
    void aReasonLosesTheValueItQuotes() {
        assertThat(ProblemException.invalidField(new InvalidFieldException("window", "not an iperf3 size: 'my password'"))
                .errors()).containsExactly(new FieldError("window", "not an iperf3 size"));
        assertThat(ProblemException.withoutQuotedValues("must be between 1 and 128, was 500"))
                .isEqualTo("must be between 1 and 128, was 500");
    }
}
