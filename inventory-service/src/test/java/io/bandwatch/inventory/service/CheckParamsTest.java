package io.bandwatch.inventory.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingOptions;
import io.bandwatch.inventory.Api;
import io.bandwatch.platform.problem.FieldError;
import io.bandwatch.platform.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The check parameters a user sends, read through the {@code events} records: each wrong option answers a 400
 * naming it as the API spells it, with the record's bound in the message and never the value sent.
 */
class CheckParamsTest {

    private static JsonNode json(String text) {
        return Mappers.tree(text.replace('`', '"'));
    }

    private static List<FieldError> errors(Runnable call) {
        try {
            call.run();
        } catch (ProblemException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.errors();
        }
        throw new AssertionError("accepted");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {`client_options`: {`time`: 5000}}                  | params.client_options.time            | must be between 1 and 1800, was 5000
            {`client_options`: {`parallel`: 0}}                 | params.client_options.parallel        | must be between 1 and 128, was 0
            {`client_options`: {`connect_timeout`: 1000001}}    | params.client_options.connect_timeout | must be between 1 and 1000000, was 1000001
            {`client_options`: {`port`: `5201`}}                | params.client_options.port            | invalid value: expected an integer
            {`client_options`: {`port`: 22.5}}                  | params.client_options.port            | invalid value: expected an integer
            {`client_options`: {`port`: null}}                  | params.client_options.port            | must not be null: leave the option out for its default
            {`client_options`: {`reverse`: 1}}                  | params.client_options.reverse         | invalid value: expected true or false
            {`client_options`: {`tcp`: {`bitrate`: `10M; rm`}}} | params.client_options.tcp.bitrate     | not an iperf3 size
            {`client_options`: {`udp`: {`size`: `1K`}}}         | params.client_options.udp.size        | unknown option; known options: bitrate, length
            {`client_options`: {`window`: `huge`}}              | params.client_options.window          | not an iperf3 size
            {`client_options`: {`bytes`: `1G`, `blockcount`: `5`}} | params.client_options.blockcount   | bytes and blockcount cannot both be set
            {`client_options`: {`reverse`: true, `bidirectional`: true}} | params.client_options.bidirectional | reverse and bidirectional cannot both be true
            {`client_options`: {`nagle`: false}}                | params.client_options.nagle           | unknown option; known options: bidirectional, blockcount, bytes, connect_timeout, parallel, port, reverse, tcp, time, udp, window
            {`client_options`: []}                              | params.client_options                 | invalid value: expected a JSON object
            {`hosts`: [`x`]}                                    | params.hosts                          | unknown option; known options: client_options, host, password, rsa_public_key, username
            {`host`: [`bad host!`]}                             | params.host[0]                        | not a host name or IP address
            {`host`: `iperf.example.net`}                       | params.host                           | invalid value: expected an array
            {`host`: [5]}                                       | params.host[0]                        | invalid value: expected a string
            """)
    void aWrongIperf3OptionIsNamedWithTheRecordsReason(String params, String field, String message) {
        assertThat(errors(() -> CheckParams.iperf3(json(params), "params")))
                .containsExactly(new FieldError(field, message));
    }

    @Test
    void authenticationGoesTogetherAndItsSecretsHaveTheirSyntax() {
        assertThat(errors(() -> CheckParams.iperf3(json("{`username`: `u`}"), "params"))).extracting(FieldError::field)
                .containsExactlyInAnyOrder("params.password", "params.rsa_public_key");
        assertThat(errors(() -> CheckParams.iperf3(json("{`username`: `this-user-name-is-longer-than-20`, "
                + "`password`: `p`, `rsa_public_key`: `" + Api.RSA_PUBLIC_KEY_BODY + "`}"), "params")))
                .containsExactly(new FieldError("params.username", "must be 1 to 20 printable ASCII characters without spaces"));
        assertThat(errors(() -> CheckParams.iperf3(json("{`username`: `u`, `password`: `much too long a password`, "
                + "`rsa_public_key`: `not a key`}"), "params"))).extracting(FieldError::field)
                .containsExactly("params.password", "params.rsa_public_key");
        Iperf3Options options = CheckParams.iperf3(json("{`username`: `u`, `password`: `secret`, `rsa_public_key`: `"
                + Api.RSA_PUBLIC_KEY_BODY + "`}"), "params");
        assertThat(options.username()).isEqualTo("u");
        assertThat(options.toString()).doesNotContain("secret");
    }

    @Test
    void anOrganizationsConfigurationIsNamedFromItsRootOrUnderItsId() {
        assertThat(errors(() -> CheckParams.iperf3(json("{`client_options`: {`time`: 0}}"), "")))
                .extracting(FieldError::field).containsExactly("client_options.time");
        assertThat(errors(() -> CheckParams.iperf3(json("{`client_options`: {`time`: 0}}"), "0e5e3c1c-org")))
                .extracting(FieldError::field).containsExactly("0e5e3c1c-org.client_options.time");
        assertThat(errors(() -> CheckParams.iperf3(json("[]"), ""))).extracting(FieldError::field).containsExactly("body");
    }

    @Test
    void pingOptionsAreThePingRecords() {
        assertThat(errors(() -> CheckParams.ping(json("{`count`: 50}"), "params")))
                .containsExactly(new FieldError("params.count", "must be between 2 and 20, was 50"));
        assertThat(errors(() -> CheckParams.ping(json("{`ttl`: 5}"), "params")))
                .containsExactly(new FieldError("params.ttl", "unknown option; known options: bytes, count, interval, timeout"));
        assertThat(CheckParams.ping(json("{`count`: 3}"), "params")).isEqualTo(PingOptions.of(3, null, null, null));
        assertThat(CheckParams.ping(null, "params")).isEqualTo(PingOptions.defaults());
    }

    @Test
    void openWispsDocumentsAreAcceptedAsTheyAre() {
        // OpenWISP's defaults spelled out, as its documentation shows them
        Iperf3Options options = CheckParams.iperf3(json("""
                {`host`: [`iperf3.openwisp.io`, `2001:db8::1`], `client_options`: {`port`: 5209, `time`: 20,
                 `bytes`: ``, `blockcount`: ``, `window`: `0`, `parallel`: 1, `reverse`: false, `bidirectional`: false,
                 `connect_timeout`: 1000000, `tcp`: {`bitrate`: `0`, `length`: `128K`}, `udp`: {`bitrate`: `30M`, `length`: `0`}}}
                """), "params");
        assertThat(options.clientOptions().port()).isEqualTo(5209);
        assertThat(options.clientOptions().connectTimeout()).isEqualTo(1_000_000);
        assertThat(options.host()).containsExactly("iperf3.openwisp.io", "2001:db8::1");
        assertThat(CheckParams.iperf3(null, "params")).isEqualTo(Iperf3Options.defaults());
    }

    @Test
    void effectiveValuesFollowOpenWispsGetParam() {
        JsonNode check = json("{`client_options`: {`time`: 0, `bytes`: `100M`, `reverse`: true}}");
        JsonNode org = json("{`host`: [`org.example.net`], `client_options`: {`time`: 30, `blockcount`: `1000`, "
                + "`bidirectional`: true, `udp`: {`bitrate`: `5M`}}}");
        Iperf3Options effective = CheckParams.effectiveIperf3(check, org);
        assertThat(effective.host()).containsExactly("org.example.net");
        assertThat(effective.clientOptions().time()).isEqualTo(30);
        assertThat(effective.clientOptions().blockcount()).isEqualTo("1000");
        assertThat(effective.clientOptions().bytes()).isEmpty();
        assertThat(effective.clientOptions().bidirectional()).isTrue();
        assertThat(effective.clientOptions().reverse()).isFalse();
        assertThat(effective.clientOptions().udp().bitrate()).isEqualTo("5M");
        assertThat(effective.clientOptions().udp().length()).isEqualTo("0");
    }
}
