package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Iperf3Options;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The OpenWISP Monitoring configuration document is imported as it is, and every check's effective options are
 * those OpenWISP would use: compared against a line-by-line model of OpenWISP's {@code Iperf3._get_param} and
 * {@code _get_check_commands} (check value if truthy, else organization value if truthy, else default).
 */
@QuarkusTest
class OpenWispImportTest {

    // ---- the reference: OpenWISP Monitoring's iperf3 check, transliterated

    static final Map<String, Object> OPENWISP_DEFAULTS = Map.of("host", List.of(), "username", "",
            "client_options.port", 5201, "client_options.time", 10, "client_options.bytes", "",
            "client_options.blockcount", "", "client_options.window", "0", "client_options.parallel", 1,
            "client_options.reverse", false, "client_options.bidirectional", false);
    static final Map<String, Object> OPENWISP_DEFAULTS_2 = Map.of("client_options.connect_timeout", 1000,
            "client_options.tcp.bitrate", "0", "client_options.tcp.length", "128K", "client_options.udp.bitrate", "30M",
            "client_options.udp.length", "0");

    static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v) || "".equals(v)) {
            return false;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    static Object deepGet(Object dict, String keys) {
        Object d = dict;
        for (String k : keys.split("\\.")) {
            d = d instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return d;
    }

    static Object getParam(Map<String, Object> params, Map<String, Object> orgConfig, String key) {
        Object v = deepGet(params, key);
        if (truthy(v)) {
            return v;
        }
        v = deepGet(orgConfig, key);
        if (truthy(v)) {
            return v;
        }
        return OPENWISP_DEFAULTS.containsKey(key) ? OPENWISP_DEFAULTS.get(key) : OPENWISP_DEFAULTS_2.get(key);
    }

    /** OpenWISP's TCP and UDP command arguments after {@code -c SERVER}. */
    static List<String> openWisp(Map<String, Object> p, Map<String, Object> org) {
        String end = "-t " + getParam(p, org, "client_options.time");
        Object bytes = getParam(p, org, "client_options.bytes");
        Object blockcount = getParam(p, org, "client_options.blockcount");
        if (truthy(bytes)) {
            end = "-n " + bytes;
        }
        if (truthy(blockcount)) {
            end = "-k " + blockcount;
        }
        String rev = "";
        if (truthy(getParam(p, org, "client_options.reverse"))) {
            rev = "--reverse";
        }
        if (truthy(getParam(p, org, "client_options.bidirectional"))) {
            rev = "--bidir";
        }
        String common = "-p " + getParam(p, org, "client_options.port") + " " + end + " --connect-timeout "
                + getParam(p, org, "client_options.connect_timeout");
        String tail = " -w " + getParam(p, org, "client_options.window") + " -P "
                + getParam(p, org, "client_options.parallel") + " " + rev;
        return List.of(
                common + " -b " + getParam(p, org, "client_options.tcp.bitrate") + " -l "
                        + getParam(p, org, "client_options.tcp.length") + tail,
                common + " -b " + getParam(p, org, "client_options.udp.bitrate") + " -l "
                        + getParam(p, org, "client_options.udp.length") + tail + " -u",
                "hosts=" + getParam(p, org, "host"), "username=" + getParam(p, org, "username"));
    }

    /** The same arguments from Bandwatch's effective options. */
    static List<String> bandwatch(Iperf3Options o) {
        Iperf3Options.ClientOptions c = o.clientOptions();
        String end = switch (c.endCondition()) {
            case TIME -> "-t " + c.time();
            case BYTES -> "-n " + c.bytes();
            case BLOCKCOUNT -> "-k " + c.blockcount();
        };
        String rev = c.bidirectional() ? "--bidir" : c.reverse() ? "--reverse" : "";
        String common = "-p " + c.port() + " " + end + " --connect-timeout " + c.connectTimeout();
        String tail = " -w " + c.window() + " -P " + c.parallel() + " " + rev;
        return List.of(common + " -b " + c.tcp().bitrate() + " -l " + c.tcp().length() + tail,
                common + " -b " + c.udp().bitrate() + " -l " + c.udp().length() + tail + " -u",
                "hosts=" + o.host(), "username=" + (o.username() == null ? "" : o.username()));
    }

    @Test
    void importedConfigurationGivesOpenWispsEffectiveOptions() throws Exception {
        UUID a = Api.organization();
        UUID b = Api.organization();
        String ownerOfBoth = io.bandwatch.testing.TestJwt.user("both-" + UUID.randomUUID(), Map.of(a, "owner", b, "owner"));
        Map<String, Object> configA = new LinkedHashMap<>();
        configA.put("host", List.of("iperf1.example.net", "iperf2.example.net"));
        configA.put("client_options", Map.of("port", 6201, "time", 30, "bytes", "", "window", "256K", "parallel", 4,
                "reverse", true, "connect_timeout", 2000, "tcp", Map.of("bitrate", "100M"),
                "udp", Map.of("bitrate", "20M", "length", "1200")));
        configA.put("username", "openwisp");
        configA.put("password", "ow-secret-pass");
        configA.put("rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
        Map<String, Object> configB = Map.of("host", List.of("iperf.b.example.net"),
                "client_options", Map.of("blockcount", "1000", "udp", Map.of("bitrate", "5M")));
        Map<String, Object> document = Map.of(a.toString(), configA, b.toString(), configB);

        UUID deviceA = Api.createDevice(a, false);
        UUID deviceB = Api.createDevice(b, false);
        Map<String, Map<String, Object>> checkParams = new LinkedHashMap<>();
        checkParams.put("empty", Map.of());
        checkParams.put("falsy", Map.of("host", List.of(), "client_options", Map.of("reverse", false,
                "bidirectional", true, "time", 5, "bytes", "", "tcp", Map.of("length", "64K"))));
        String own = Api.randomHost();
        Api.createServer(a, own);
        checkParams.put("bytes", Map.of("host", List.of(own), "client_options", Map.of("bytes", "500M",
                "parallel", 2, "udp", Map.of("length", "0"))));
        Map<String, UUID> checksA = new LinkedHashMap<>();
        checkParams.forEach((name, params) -> checksA.put(name, Api.createCheck(a, deviceA, "iperf3", params)));
        Map<String, Object> bParams = Map.of("client_options", Map.of("bytes", "100M", "reverse", true));
        UUID checkB = Api.createCheck(b, deviceB, "iperf3", bParams);

        try (KafkaProbe probe = KafkaProbe.open("inventory.checks")) {
            as(ownerOfBoth).body(document).post("/api/v1/iperf3-defaults/import").then().statusCode(200)
                    .body("organizations.size()", equalTo(2));

            ObjectMapper json = new ObjectMapper();
            String viewer = io.bandwatch.testing.TestJwt.user("v-" + UUID.randomUUID(), Map.of(a, "viewer", b, "viewer"));
            for (Map.Entry<String, UUID> e : checksA.entrySet()) {
                Iperf3Options effective = EventJson.read(json.writeValueAsString(as(viewer)
                        .get("/api/v1/checks/" + e.getValue()).jsonPath().getMap("effective_params")), Iperf3Options.class);
                assertThat(bandwatch(effective)).as(e.getKey()).isEqualTo(openWisp(checkParams.get(e.getKey()), configA));
                // the snapshot on inventory.checks carries the same effective options (re-published by the import)
                String key = e.getValue().toString();
                ConsumerRecord<String, String> last = probe.await(r -> key.equals(r.key()) && r.value() != null
                        && EventJson.read(r.value(), CheckSnapshot.class).version() >= 1, 1, Duration.ofSeconds(20)).get(0);
                CheckSnapshot snapshot = EventJson.read(last.value(), CheckSnapshot.class);
                assertThat(bandwatch(snapshot.iperf3())).as(e.getKey() + " snapshot")
                        .isEqualTo(openWisp(checkParams.get(e.getKey()), configA));
                assertThat(last.value()).doesNotContain("ow-secret-pass").doesNotContain(Api.RSA_PUBLIC_KEY_BODY);
            }
            Iperf3Options effectiveB = EventJson.read(json.writeValueAsString(as(viewer).get("/api/v1/checks/" + checkB)
                    .jsonPath().getMap("effective_params")), Iperf3Options.class);
            assertThat(bandwatch(effectiveB)).isEqualTo(openWisp(bParams, configB));
            assertThat(effectiveB.clientOptions().endCondition()).isEqualTo(Iperf3Options.EndCondition.BLOCKCOUNT);
        }
        // the organization's configuration reads back without its secrets
        as(Api.token(a, "viewer")).get("/api/v1/organizations/" + a + "/iperf3-defaults").then().statusCode(200)
                .body("config.username", equalTo("openwisp")).body("config.password", equalTo(null))
                .body("config.rsa_public_key", equalTo(null)).body("auth_secret_set", equalTo(true));
        // and the runner gets the organization's credentials for a check without its own
        as(io.bandwatch.testing.TestJwt.service("check-runner")).get("/api/v1/internal/checks/" + checksA.get("empty")
                + "/run-secrets").then().statusCode(200).body("iperf3_auth.username", equalTo("openwisp"))
                .body("iperf3_auth.password", equalTo("ow-secret-pass"))
                .body("iperf3_auth.rsa_public_key", equalTo("-----BEGIN PUBLIC KEY-----\n" + Api.RSA_PUBLIC_KEY_BODY
                        + "\n-----END PUBLIC KEY-----\n"));
    }

    @Test
    void importIsAtomicAndNeedsOwnershipOfEveryOrganization() {
        UUID mine = Api.organization();
        UUID foreign = Api.organization();
        String owner = Api.token(mine, "owner");
        Map<String, Object> document = Map.of(mine.toString(), Map.of("client_options", Map.of("time", 20)),
                foreign.toString(), Map.of("client_options", Map.of("time", 30)));
        as(owner).body(document).post("/api/v1/iperf3-defaults/import").then().statusCode(404);
        as(owner).get("/api/v1/organizations/" + mine + "/iperf3-defaults").then().statusCode(200)
                .body("config.size()", equalTo(0));
        as(owner).body(Map.of(mine.toString(), Map.of("client_options", Map.of("time", 99999))))
                .post("/api/v1/iperf3-defaults/import").then().statusCode(400)
                .body("errors[0].field", equalTo(mine + ".client_options.time"));
        as(owner).body(Map.of("not-a-uuid", Map.of())).post("/api/v1/iperf3-defaults/import").then().statusCode(400)
                .body("errors[0].field", equalTo("not-a-uuid"));
        // PUT of one organization's configuration, with If-Match
        as(owner).header("If-Match", "0").body(Map.of("host", List.of("pool.example.net")))
                .put("/api/v1/organizations/" + mine + "/iperf3-defaults").then().statusCode(200)
                .body("config.host[0]", equalTo("pool.example.net"));
        as(Api.token(mine, "operator")).body(Map.of("host", List.of("x.example.net")))
                .put("/api/v1/organizations/" + mine + "/iperf3-defaults").then().statusCode(403);
    }
}
