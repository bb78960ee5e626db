package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.testing.ManagementPort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Password guessing (security issue, finding 5): 50 wrong passwords for one user lead to 429 with Retry-After while
 * another user signs in; spraying many user names from one address slows that address; the token answer is never
 * cached. The sources are told apart through X-Forwarded-For, which inventory takes from its trusted proxy (the test
 * client is on loopback, the console's place in the local stack).
 */
@QuarkusTest
class LoginThrottleTest {

    /** The management interface (health, metrics), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    private static Response attempt(String source, String username, String password) {
        return given().contentType("application/json").header("X-Forwarded-For", source)
                .body(Map.of("username", username, "password", password)).post("/api/v1/auth/token");
    }

    private static String user(String password) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 12);
        as(Api.superuser()).body(Map.of("username", name, "password", password)).post("/api/v1/users")
                .then().statusCode(201);
        return name;
    }

    @Test
    void fiftyWrongPasswordsEndIn429WithRetryAfterWhileAnotherUserSignsIn() {
        String victim = user("victim-password-123");
        String other = user("other-password-123");
        String attacker = "203.0.113." + (1 + (int) (Math.random() * 200));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Response r = attempt(attacker, victim, "guess-" + i);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 900L);
                assertThat(r.jsonPath().getInt("status")).isEqualTo(429);
            }
            if (i % 10 == 0) {
                // meanwhile another user, from another address, signs in at once
                attempt("198.51.100.20", other, "other-password-123").then().statusCode(200)
                        .header("Cache-Control", "no-store");
            }
        }
        // five wrong passwords are checked; then each further guess waits a doubling delay (1 s, 2 s, 4 s …), so
        // nearly every attempt of a fast loop is refused unchecked
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 50)).isSubsetOf(401, 429);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(40);
        // the right password does not get through during the wait either: no guess is checked while throttled
        attempt(attacker, victim, "victim-password-123").then().statusCode(429);
        attempt("198.51.100.21", victim.toUpperCase(), "victim-password-123").then().statusCode(429);

        String metrics = ManagementPort.given(management).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("bandwatch_login_failures_total", "bandwatch_login_throttled_total");
    }

    @Test
    void sprayingManyUserNamesFromOneAddressSlowsThatAddressOnly() {
        String sprayer = "203.0.113." + (201 + (int) (Math.random() * 50));
        String legit = user("legit-password-123");
        int status = 0;
        for (int i = 0; i < 101 && status != 429; i++) {
            status = attempt(sprayer, "nobody-" + UUID.randomUUID(), "password-" + i).statusCode();
        }
        assertThat(status).isEqualTo(429);
        attempt(sprayer, legit, "legit-password-123").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        attempt("198.51.100.30", legit, "legit-password-123").then().statusCode(200)
                .body("token_type", equalTo("Bearer"));
    }
}
