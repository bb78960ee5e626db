package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tokens issued by POST /api/v1/auth/token: bcrypt passwords, claims upn/groups/orgs, service accounts. */
@QuarkusTest
class AuthTest {

    static JsonNode claims(String jwt) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static String login(String username, String password) {
        return as(null).body(Map.of("username", username, "password", password)).post("/api/v1/auth/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("access_token");
    }

    @Test
    void initialSuperuserFromConfigurationLogsInAndSeesEverything() throws Exception {
        String token = login("admin", "admin-test-password");
        JsonNode claims = claims(token);
        assertThat(claims.get("upn").asText()).isEqualTo("admin");
        assertThat(claims.get("groups")).extracting(JsonNode::asText).contains("superuser", "user");
        UUID org = Api.organization();
        as(token).get("/api/v1/organizations/" + org).then().statusCode(200).body("id", equalTo(org.toString()));
    }

    @Test
    void userTokenCarriesOrganizationsAndRolesAndWorksAgainstTheApi() throws Exception {
        UUID org = Api.organization();
        UUID other = Api.organization();
        String name = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        as(Api.superuser()).body(Map.of("username", name, "password", "correct horse battery",
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "owner"),
                        Map.of("organization_id", other.toString(), "role", "viewer"))))
                .post("/api/v1/users").then().statusCode(201).body("password", equalTo(null))
                .body("password_hash", equalTo(null));
        String token = login(name, "correct horse battery");
        JsonNode claims = claims(token);
        assertThat(claims.get("upn").asText()).isEqualTo(name);
        assertThat(claims.get("groups")).extracting(JsonNode::asText).containsExactly("user");
        assertThat(claims.get("orgs").get(org.toString()).asText()).isEqualTo("owner");
        assertThat(claims.get("orgs").get(other.toString()).asText()).isEqualTo("viewer");
        assertThat(claims.get("iss").asText()).isEqualTo(io.bandwatch.testing.TestJwt.ISSUER);
        // the issued token is accepted: the owner creates a device in org, the viewer role cannot in other
        as(token).body(Api.device(org, "d-" + UUID.randomUUID())).post("/api/v1/devices").then().statusCode(201);
        as(token).body(Api.device(other, "d-" + UUID.randomUUID())).post("/api/v1/devices").then().statusCode(403);
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledUserAreRefusedAlike() {
        for (var body : List.of(Map.of("username", "admin", "password", "wrong-password"),
                Map.of("username", "nobody-" + UUID.randomUUID(), "password", "whatever-password"))) {
            as(null).body(body).post("/api/v1/auth/token").then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401))
                    .body("type", equalTo("https://bandwatch.dev/problems/unauthorized"));
        }
        as(null).body(Map.of("username", "")).post("/api/v1/auth/token").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void serviceAccountFromConfigurationGetsOnlyTheServiceGroup() throws Exception {
        String token = login("check-runner", "runner-test-password");
        JsonNode claims = claims(token);
        assertThat(claims.get("groups")).extracting(JsonNode::asText).containsExactly("service");
        assertThat(claims.get("orgs").size()).isZero();
        // a service token is not a user token
        as(token).get("/api/v1/devices").then().statusCode(403).contentType("application/problem+json");
        // and the internal endpoint answers it (404 for an unknown check, not 401/403)
        as(token).get("/api/v1/internal/checks/" + UUID.randomUUID() + "/run-secrets").then().statusCode(404);
    }

    @Test
    void missingOrForgedTokenIs401Problem() {
        as(null).get("/api/v1/devices").then().statusCode(401).contentType("application/problem+json");
        String forged = Api.superuser();
        String[] parts = forged.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        as(tampered).get("/api/v1/devices").then().statusCode(401).contentType("application/problem+json");
    }
}
