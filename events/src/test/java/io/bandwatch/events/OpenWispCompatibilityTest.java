package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field names and parameter documents as OpenWISP Monitoring has them. */
class OpenWispCompatibilityTest {

    /** The shape of an OpenWISP Monitoring iperf3 check configuration (its documentation's example). */
    static final String OPENWISP_PARAMS = """
            {"host": ["iperf3.openwisp.io", "2001:db8::1"],
             "client_options": {"port": 6201, "time": 20, "tcp": {"bitrate": "10M"}, "udp": {"bitrate": "50M"}}}
            """;

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void checkResultUsesTheStoredFieldNames() throws Exception {
        JsonNode json = Schemas.PLAIN.readTree(EventJson.write(Samples.iperf3Result()));

        assertThat(keys(json)).containsExactly("event_id", "check_id", "device_id", "organization_id", "type",
                "started_at", "finished_at", "server", "status", "iperf3", "runner_id");
        assertThat(keys(json.get("server"))).containsExactly("id", "host", "port", "fencing_token");
        assertThat(keys(json.get("iperf3"))).containsExactly("iperf3_result", "sent_bps_tcp", "received_bps_tcp",
                "sent_bytes_tcp", "received_bytes_tcp", "retransmits", "sent_bps_udp", "sent_bytes_udp", "jitter",
                "total_packets", "lost_packets", "lost_percent");
        assertThat(json.get("iperf3").get("iperf3_result").isInt()).isTrue();
        assertThat(json.get("iperf3").get("sent_bytes_tcp").isIntegralNumber()).isTrue();
    }

    @Test
    void pingResultUsesTheStoredFieldNames() throws Exception {
        JsonNode ping = Schemas.PLAIN.readTree(EventJson.write(Samples.pingResult())).get("ping");

        assertThat(keys(ping)).containsExactly("reachable", "loss", "rtt_min", "rtt_avg", "rtt_max");
    }

    @Test
    void failedIperf3ResultCarriesTheErrorAndIperf3ResultZero() {
        String json = EventJson.writeString(Samples.iperf3Failed());

        assertThat(json).contains("\"status\":\"failed\"")
                .contains("\"error\":{\"code\":\"no_server_available\",")
                .contains("\"iperf3\":{\"iperf3_result\":0}");
    }

    @Test
    void openWispIperf3ParametersAreAcceptedVerbatimWithDefaultsForMissingKeys() {
        Iperf3Options options = EventJson.read(OPENWISP_PARAMS, Iperf3Options.class);

        assertThat(options.host()).containsExactly("iperf3.openwisp.io", "2001:db8::1");
        assertThat(options.username()).isNull();
        assertThat(options.authenticated()).isFalse();
        Iperf3Options.ClientOptions client = options.clientOptions();
        assertThat(client.port()).isEqualTo(6201);
        assertThat(client.time()).isEqualTo(20);
        assertThat(client.bytes()).isEmpty();
        assertThat(client.blockcount()).isEmpty();
        assertThat(client.window()).isEqualTo("0");
        assertThat(client.parallel()).isEqualTo(1);
        assertThat(client.reverse()).isFalse();
        assertThat(client.bidirectional()).isFalse();
        assertThat(client.connectTimeout()).isEqualTo(1000);
        assertThat(client.tcp()).isEqualTo(new Iperf3Options.Tcp("10M", "128K"));
        assertThat(client.udp()).isEqualTo(new Iperf3Options.Udp("50M", "0"));
        assertThat(client.endCondition()).isEqualTo(Iperf3Options.EndCondition.TIME);
    }

    @Test
    void checkSnapshotAcceptsTheOpenWispDocumentAsItsIperf3Parameters() throws Exception {
        String snapshot = """
                {"id": "%s", "organization_id": "%s", "device_id": "%s", "type": "iperf3",
                 "schedule": {"cron": "0 2 * * *"}, "active": true, "version": 1,
                 "updated_at": "2026-05-01T02:00:00Z", "iperf3": %s}
                """.formatted(Samples.CHECK, Samples.ORG, Samples.DEVICE, OPENWISP_PARAMS);

        CheckSnapshot check = EventJson.read(snapshot, CheckSnapshot.class);

        assertThat(check.iperf3()).isEqualTo(EventJson.read(OPENWISP_PARAMS, Iperf3Options.class));
        assertThat(check.schedule()).isEqualTo(Schedule.ofCron("0 2 * * *", "UTC"));
        assertThat(Schemas.validate(EventType.CHECK_SNAPSHOT, Schemas.PLAIN.readTree(snapshot))).isEmpty();
    }

    @Test
    void emptyParameterDocumentsGiveTheDefaults() {
        assertThat(EventJson.read("{}", Iperf3Options.class)).isEqualTo(Iperf3Options.defaults());
        assertThat(EventJson.read("{\"client_options\":{}}", Iperf3Options.class)).isEqualTo(Iperf3Options.defaults());
        assertThat(EventJson.read("{}", PingOptions.class)).isEqualTo(new PingOptions(5, 25, 56, 800));
        assertThat(Iperf3Options.ClientOptions.defaults()).isEqualTo(new Iperf3Options.ClientOptions(5201, 10, "", "",
                "0", 1, false, false, 1000, new Iperf3Options.Tcp("0", "128K"), new Iperf3Options.Udp("30M", "0")));
    }

    @Test
    void openWispSecretsInTheDocumentAreRefusedNeverCarried() {
        // inventory takes password and rsa_public_key out of an OpenWISP document (secrets, stored encrypted) before
        // it builds the record; the record itself never carries them and refuses a document that still has them
        String withSecrets = """
                {"host": [], "username": "bw", "password": "s3cret-pw",
                 "rsa_public_key": "-----BEGIN PUBLIC KEY-----MIIB-----END PUBLIC KEY-----"}
                """;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(withSecrets, Iperf3Options.class))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("unknown field 'password'")
                .hasMessageNotContaining("s3cret-pw");
        Iperf3Options options = EventJson.read("{\"host\": [], \"username\": \"bw\"}", Iperf3Options.class);
        assertThat(options.username()).isEqualTo("bw");
        assertThat(EventJson.writeString(options)).doesNotContain("password").doesNotContain("rsa_public_key");
    }

    @Test
    void bytesOrBlockcountEndTheTestInsteadOfTime() {
        assertThat(EventJson.read("{\"bytes\":\"100M\"}", Iperf3Options.ClientOptions.class).endCondition())
                .isEqualTo(Iperf3Options.EndCondition.BYTES);
        assertThat(EventJson.read("{\"blockcount\":\"1K\"}", Iperf3Options.ClientOptions.class).endCondition())
                .isEqualTo(Iperf3Options.EndCondition.BLOCKCOUNT);
    }
}
