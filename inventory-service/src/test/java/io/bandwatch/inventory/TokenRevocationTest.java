package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.testing.RevocationChecks;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revocation (security issue, finding 4): after a membership is removed or its role changed, the user disabled, the
 * password changed or the organization disabled, the old token is refused what became forbidden within 30 s,
 * through the real path: inventory's outbox, the real topic inventory.token-revocations, the platform's reader. And
 * no token is accepted whose lifetime exceeds bandwatch.auth.max-token-lifetime.
 */
@QuarkusTest
class TokenRevocationTest {

    private static final Duration LIMIT = RevocationChecks.LIMIT;

    private static UUID user(String name, Map<UUID, String> memberships) {
        String id = as(Api.superuser()).body(Map.of("username", name, "password", "a-long-password",
                "memberships", memberships.entrySet().stream()
                        .map(e -> Map.of("organization_id", e.getKey().toString(), "role", e.getValue())).toList()))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    private static String name() {
        return "rv-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static int status(String token, String path) {
        return as(token).get(path).statusCode();
    }

    private static Duration until(String token, String path, int expected) {
        return RevocationChecks.await(token, path, expected);
    }

    @Test
    void aRemovedMemberLosesTheOrganizationButKeepsTheOthers() {
        UUID a = Api.organization();
        UUID b = Api.organization();
        String name = name();
        UUID id = user(name, Map.of(a, "operator", b, "viewer"));
        String token = AuthTest.login(name, "a-long-password");
        assertThat(status(token, "/api/v1/organizations/" + a)).isEqualTo(200);

        as(Api.superuser()).delete("/api/v1/organizations/" + a + "/members/" + id).then().statusCode(204);

        assertThat(until(token, "/api/v1/organizations/" + a, 404)).isLessThanOrEqualTo(LIMIT);
        assertThat(as(token).get("/api/v1/devices?organization_id=" + a).jsonPath().getList("items", Object.class))
                .isEmpty();
        // the other membership is untouched: the token still reads b
        assertThat(status(token, "/api/v1/organizations/" + b)).isEqualTo(200);
        // a new sign-in right away is not born revoked, and carries only b
        String fresh = AuthTest.login(name, "a-long-password");
        assertThat(status(fresh, "/api/v1/organizations/" + b)).isEqualTo(200);
        assertThat(status(fresh, "/api/v1/organizations/" + a)).isEqualTo(404);
    }

    @Test
    void aChangedRoleTakesTheOrganizationOutOfTheOldTokenUntilTheNextSignIn() {
        UUID org = Api.organization();
        String name = name();
        UUID id = user(name, Map.of(org, "owner"));
        String token = AuthTest.login(name, "a-long-password");
        assertThat(status(token, "/api/v1/organizations/" + org + "/members")).isEqualTo(200);

        as(Api.superuser()).body(Map.of("role", "viewer")).put("/api/v1/organizations/" + org + "/members/" + id)
                .then().statusCode(200);

        until(token, "/api/v1/organizations/" + org + "/members", 404);
        String fresh = AuthTest.login(name, "a-long-password");
        assertThat(status(fresh, "/api/v1/organizations/" + org)).isEqualTo(200);
        assertThat(status(fresh, "/api/v1/organizations/" + org + "/members")).as("a viewer now").isEqualTo(403);
    }

    @Test
    void aPasswordChangeOrADisabledUserEndsEveryOldToken() {
        UUID org = Api.organization();
        String name = name();
        UUID id = user(name, Map.of(org, "viewer"));
        String token = AuthTest.login(name, "a-long-password");
        assertThat(status(token, "/api/v1/organizations")).isEqualTo(200);

        as(Api.superuser()).header("If-Match", "0").body(Map.of("password", "another-long-password"))
                .put("/api/v1/users/" + id).then().statusCode(200);

        until(token, "/api/v1/organizations", 401);
        as(token).get("/api/v1/organizations").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json");
        String fresh = AuthTest.login(name, "another-long-password");
        assertThat(status(fresh, "/api/v1/organizations/" + org)).isEqualTo(200);

        as(Api.superuser()).header("If-Match", "1").body(Map.of("enabled", false))
                .put("/api/v1/users/" + id).then().statusCode(200);
        until(fresh, "/api/v1/organizations", 401);
    }

    @Test
    void aDisabledOrganizationIsGoneFromEveryOldToken() {
        UUID org = Api.organization();
        UUID other = Api.organization();
        String name = name();
        user(name, Map.of(org, "owner", other, "viewer"));
        String token = AuthTest.login(name, "a-long-password");
        String created = as(Api.superuser()).get("/api/v1/organizations/" + org).then().statusCode(200)
                .extract().path("name");

        as(Api.superuser()).header("If-Match", "0").body(Map.of("name", created, "enabled", false))
                .put("/api/v1/organizations/" + org).then().statusCode(200);

        until(token, "/api/v1/organizations/" + org, 404);
        assertThat(status(token, "/api/v1/organizations/" + other)).isEqualTo(200);
        assertThat(as(token).get("/api/v1/organizations").jsonPath().getList("items.id", String.class))
                .containsExactly(other.toString());
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        RevocationChecks.longLivedTokensAreRefused("/api/v1/organizations");
    }
}
