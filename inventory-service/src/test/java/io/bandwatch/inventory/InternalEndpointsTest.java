package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The runner's internal endpoints: decrypted secrets for one run, host keys trusted on first use. */
@QuarkusTest
class InternalEndpointsTest {

    static final String RUNNER = TestJwt.service("check-runner");

    @Test
    void runSecretsOfAKeyDeviceWithTheCheckOwnCredentials() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        UUID check = Api.createCheck(org, device, "iperf3", Map.of("username", "chk-user", "password", "chk-pass-1",
                "rsa_public_key", Api.RSA_PUBLIC_KEY_BODY));
        UUID plainServer = Api.createServer(org, Api.randomHost());
        as(RUNNER).queryParam("server", plainServer.toString())
                .get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("device_id", equalTo(device.toString()))
                .body("ssh.user", equalTo("root")).body("ssh.auth_method", equalTo("key"))
                .body("ssh.private_key", equalTo(Api.ED25519_KEY)).body("ssh.password", nullValue())
                .body("ssh.host_key_fingerprint", nullValue())
                .body("iperf3_auth.username", equalTo("chk-user")).body("iperf3_auth.password", equalTo("chk-pass-1"));
        // the check's own view never shows the secret parts
        as(Api.token(org, "owner")).get("/api/v1/checks/" + check).then().statusCode(200)
                .body("params.password", nullValue()).body("params.rsa_public_key", nullValue())
                .body("params.username", equalTo("chk-user")).body("auth_secret_set", equalTo(true));
        // a server with its own credentials wins over the check's
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_ids", List.of(org.toString()));
        body.put("host", Api.randomHost());
        body.put("username", "srv-user");
        body.put("password", "srv-pass-1");
        body.put("rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
        String authServer = as(Api.token(org, "owner")).body(body).post("/api/v1/iperf3-servers").then()
                .statusCode(201).extract().path("id");
        as(RUNNER).queryParam("server", authServer).get("/api/v1/internal/checks/" + check + "/run-secrets")
                .then().statusCode(200).body("iperf3_auth.username", equalTo("srv-user"))
                .body("iperf3_auth.password", equalTo("srv-pass-1"));
        // a server of another organization is unknown here
        UUID otherOrg = Api.organization();
        UUID foreignServer = Api.createServer(otherOrg, Api.randomHost());
        as(RUNNER).queryParam("server", foreignServer.toString())
                .get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(404);
    }

    @Test
    void runSecretsOfAPasswordDeviceAndAPingCheck() {
        UUID org = Api.organization();
        Map<String, Object> body = Api.device(org, "pw-" + UUID.randomUUID());
        body.remove("private_key");
        body.put("password", "ssh-pass-xyz");
        body.put("create_default_checks", false);
        String device = as(Api.token(org, "owner")).body(body).post("/api/v1/devices").then().statusCode(201)
                .extract().path("id");
        UUID check = Api.createCheck(org, UUID.fromString(device), "ping", Map.of());
        as(RUNNER).get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(200)
                .body("ssh.auth_method", equalTo("password")).body("ssh.password", equalTo("ssh-pass-xyz"))
                .body("ssh.private_key", nullValue()).body("iperf3_auth", nullValue());
        // users, even superusers, cannot read secrets
        as(Api.superuser()).get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(403);
        as(Api.token(org, "owner")).get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(403);
        as(null).get("/api/v1/internal/checks/" + check + "/run-secrets").then().statusCode(401);
    }

    @Test
    void hostKeyIsTrustedOnFirstUseAndThenPinned() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        String fingerprint = "SHA256:" + "A".repeat(43);
        try (KafkaProbe probe = KafkaProbe.open("inventory.devices")) {
            as(RUNNER).body(Map.of("fingerprint", fingerprint)).put("/api/v1/internal/devices/" + device + "/host-key")
                    .then().statusCode(204);
            as(RUNNER).body(Map.of("fingerprint", fingerprint)).put("/api/v1/internal/devices/" + device + "/host-key")
                    .then().statusCode(204);
            as(RUNNER).body(Map.of("fingerprint", "SHA256:" + "B".repeat(43)))
                    .put("/api/v1/internal/devices/" + device + "/host-key").then().statusCode(409)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("fingerprint"));
            as(RUNNER).body(Map.of("fingerprint", "MD5:00")).put("/api/v1/internal/devices/" + device + "/host-key")
                    .then().statusCode(400).body("errors[0].field", equalTo("fingerprint"));
            as(RUNNER).body(Map.of("fingerprint", fingerprint)).put("/api/v1/internal/devices/" + UUID.randomUUID()
                    + "/host-key").then().statusCode(404);
            var records = probe.await(r -> device.toString().equals(r.key()) && r.value() != null
                    && EventJson.read(r.value(), DeviceSnapshot.class).version() == 1, 1, Duration.ofSeconds(20));
            assertThat(EventJson.read(records.get(0).value(), DeviceSnapshot.class).hostKeyFingerprint())
                    .isEqualTo(fingerprint);
        }
        as(Api.token(org, "viewer")).get("/api/v1/devices/" + device).then()
                .body("host_key_fingerprint", equalTo(fingerprint));
    }
}
