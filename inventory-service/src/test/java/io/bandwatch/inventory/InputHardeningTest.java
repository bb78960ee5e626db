package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.bandwatch.inventory.security.RsaPublicKeysTest;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The smaller findings of the security issue (finding 7): control characters in names, tags, ssh_user, user names
 * and secrets that travel in a line are 400s naming the field; ssh_user never starts with '-'; rsa_public_key must be
 * a real RSA public key; user names are unique regardless of case and sign-in ignores case.
 */
@QuarkusTest
class InputHardeningTest {

    /** Control characters and line breaks an attacker used: LF, CR, ESC, TAB, DEL, C1 (NEL, CSI), U+2028. */
    static final List<String> CONTROLS = List.of("a\nb", "a\rb", "a\u001b[31mb", "a\tb", "a\u007fb", "a\u0085b",
            "a\u009bb", "a\u2028b");

    @Test
    void controlCharactersInDeviceNamesTagsAndSshUsersAre400NamingTheField() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        for (String bad : CONTROLS) {
            Map<String, Object> body = Api.device(org, bad);
            as(owner).body(body).post("/api/v1/devices").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("name"))
                    .body("detail", not(containsString(bad)));
            body = Api.device(org, "dev-" + UUID.randomUUID());
            body.put("tags", List.of("ok", bad));
            as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors.field", hasItem("tags[1]"));
            body = Api.device(org, "dev-" + UUID.randomUUID());
            body.put("ssh_user", "root" + bad);
            as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors.field", hasItem("ssh_user"));
        }
        // a lone surrogate is refused by the strict JSON of every field
        Map<String, Object> body = Api.device(org, "dev-\ud800");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors[0].field", equalTo("name"));
        // an ssh_user that ssh would read as an option
        body = Api.device(org, "dev-" + UUID.randomUUID());
        body.put("ssh_user", "-oProxyCommand=touch /tmp/pwned");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors.field", hasItem("ssh_user"))
                .body("errors.message", hasItem(containsString("must not start with '-'")));
        // what is fine stays fine: a name with spaces and non-ASCII letters
        body = Api.device(org, "Büro – Rack 2 " + UUID.randomUUID());
        body.put("ssh_user", "admin-1");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(201);
        // organization names too
        as(Api.superuser()).body(Map.of("name", "org\r\nSet-Cookie: x")).post("/api/v1/organizations").then()
                .statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void aServerPasswordWithALineBreakAndKeysThatAreNoKeysAreRefused() throws Exception {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_ids", List.of(org.toString()));
        body.put("host", Api.randomHost());
        body.put("username", "bw-user");
        body.put("password", "pass\nrm -rf /");
        body.put("rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
        as(owner).body(body).post("/api/v1/iperf3-servers").then().statusCode(400)
                .body("errors[0].field", equalTo("password"));
        body.put("password", "pass\u001b");
        as(owner).body(body).post("/api/v1/iperf3-servers").then().statusCode(400)
                .body("errors[0].field", equalTo("password"));
        body.put("password", "a good pass");
        body.put("rsa_public_key", "QUFB".repeat(30));
        as(owner).body(body).post("/api/v1/iperf3-servers").then().statusCode(400)
                .body("errors[0].field", equalTo("rsa_public_key"));

        // a check's key likewise
        UUID device = Api.createDevice(org, false);
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("device_id", device.toString());
        check.put("type", "iperf3");
        check.put("params", Map.of("username", "u", "password", "p", "rsa_public_key", "QUFB".repeat(30)));
        as(Api.token(org, "operator")).body(check).post("/api/v1/checks").then().statusCode(400)
                .body("errors.field", hasItem("params.rsa_public_key"));

        // an OpenSSH key is a real key: accepted, and iperf3 gets it as the PEM it reads
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        check.put("params", Map.of("username", "u", "password", "p", "rsa_public_key", RsaPublicKeysTest.openSsh(key)));
        String id = as(Api.token(org, "operator")).body(check).post("/api/v1/checks").then().statusCode(201)
                .extract().path("id");
        UUID plain = Api.createServer(org, Api.randomHost());
        String pem = as(TestJwt.service("check-runner")).queryParam("server", plain.toString())
                .get("/api/v1/internal/checks/" + id + "/run-secrets").then().statusCode(200)
                .extract().path("iperf3_auth.rsa_public_key");
        assertThat(pem).isEqualTo("-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    }

    @Test
    void userNamesAreUniqueRegardlessOfCaseAndSignInIgnoresCase() {
        String name = "Case-" + UUID.randomUUID().toString().substring(0, 8);
        as(Api.superuser()).body(Map.of("username", name, "password", "a-long-password")).post("/api/v1/users")
                .then().statusCode(201);
        as(Api.superuser()).body(Map.of("username", name.toUpperCase(), "password", "a-long-password"))
                .post("/api/v1/users").then().statusCode(409).body("errors[0].field", equalTo("username"));
        as(Api.superuser()).body(Map.of("username", name.toLowerCase(), "password", "a-long-password"))
                .post("/api/v1/users").then().statusCode(409);
        String token = AuthTest.login(name.toLowerCase(), "a-long-password");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).as("the token names the user as registered").contains("\"upn\":\"" + name + "\"");
        as(null).body(Map.of("username", name.toUpperCase(), "password", "wrong-password")).post("/api/v1/auth/token")
                .then().statusCode(401);
    }
}
