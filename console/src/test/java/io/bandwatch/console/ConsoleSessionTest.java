package io.bandwatch.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.console.session.SessionStore;
import io.bandwatch.console.support.RealInventory;
import io.bandwatch.testing.ManagementPort;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, the cookie, CSRF, the proxy and its refusals, against the real inventory-service (a child process) and
 * the real Redis. Every answer of the console is checked for the session's JWT, read from Redis.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInventory.class, restrictToAnnotatedClass = true)
class ConsoleSessionTest {

    /** The management interface (health, metrics, OpenAPI, Swagger UI), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    @Inject
    RedisDataSource redis;

    /** Every console answer of a test, to look for the JWT in its headers and body. */
    private final List<Response> answers = new ArrayList<>();

    record Login(String cookie, String csrf, String setCookie, String jwt) {
    }

    Response keep(Response r) {
        answers.add(r);
        return r;
    }

    Login login(String user, String password, Header... headers) {
        var spec = given().contentType(ContentType.JSON).body(Map.of("username", user, "password", password));
        for (Header h : headers) {
            spec = spec.header(h);
        }
        Response r = keep(spec.post("/console/api/session"));
        r.then().statusCode(200);
        String setCookie = r.getHeader("Set-Cookie");
        String id = setCookie.substring("bw_session=".length(), setCookie.indexOf(';'));
        String stored = redis.value(String.class).get(SessionStore.KEY_PREFIX + id);
        assertThat(stored).as("the session is in Redis").isNotNull();
        String jwt = stored.replaceAll(".*\"jwt\":\"([^\"]+)\".*", "$1");
        assertThat(jwt).startsWith("eyJ");
        return new Login(id, r.jsonPath().getString("csrf_token"), setCookie, jwt);
    }

    void assertNoJwtIn(String jwt) {
        for (Response r : answers) {
            assertThat(r.getBody().asString()).as("body of an answer").doesNotContain(jwt)
                    .doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
            r.getHeaders().forEach(h -> assertThat(h.getValue()).as("header %s", h.getName()).doesNotContain(jwt));
        }
    }

    @Test
    void wrongThenRightPasswordAndTheCookieAttributes() {
        keep(given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "not-it"))
                .post("/console/api/session")).then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("wrong user name or password"));
        keep(given().contentType(ContentType.JSON).body(Map.of("username", "nobody", "password", "x"))
                .post("/console/api/session")).then().statusCode(401);

        Login plain = login("admin", RealInventory.adminPassword());
        assertThat(plain.setCookie()).contains("Path=/").contains("HttpOnly").contains("SameSite=Strict")
                .doesNotContain("Secure");
        assertThat(plain.cookie()).hasSize(43); // 32 random bytes, base64url

        Login tls = login("admin", RealInventory.adminPassword(), new Header("X-Forwarded-Proto", "https"));
        assertThat(tls.setCookie()).contains("Path=/").contains("HttpOnly").contains("SameSite=Strict")
                .contains("; Secure");
        assertThat(tls.cookie()).isNotEqualTo(plain.cookie());

        Response session = keep(given().cookie("bw_session", plain.cookie()).get("/console/api/session"));
        session.then().statusCode(200).body("username", equalTo("admin")).body("superuser", equalTo(true))
                .body("csrf_token", equalTo(plain.csrf()));
        assertThat(session.getBody().asString()).doesNotContain("access_token").doesNotContain("jwt");
        assertNoJwtIn(plain.jwt());
        assertNoJwtIn(tls.jwt());
    }

    @Test
    void writesNeedTheCsrfTokenAndTheProxyCarriesTheUsersIdentity() {
        Login admin = login("admin", RealInventory.adminPassword());
        String body = "{\"name\": \"console-" + UUID.randomUUID() + "\", \"enabled\": true}";

        keep(given().cookie("bw_session", admin.cookie()).contentType(ContentType.JSON).body(body)
                .post("/console/api/inventory/organizations")).then().statusCode(403)
                .contentType("application/problem+json");
        keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf() + "x")
                .contentType(ContentType.JSON).body(body).post("/console/api/inventory/organizations"))
                .then().statusCode(403);
        keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .header("Origin", "http://evil.example").contentType(ContentType.JSON).body(body)
                .post("/console/api/inventory/organizations")).then().statusCode(403);
        // no cookie at all: 401 before anything else
        keep(given().header("X-CSRF-Token", admin.csrf()).contentType(ContentType.JSON).body(body)
                .post("/console/api/inventory/organizations")).then().statusCode(401);

        Response created = keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .contentType(ContentType.JSON).body(body).post("/console/api/inventory/organizations"));
        created.then().statusCode(201);
        String org = created.jsonPath().getString("id");
        assertThat(created.getHeader("Location")).isEqualTo("/console/api/inventory/organizations/" + org);
        assertThat(created.getHeader("ETag")).isNotBlank();

        // a viewer of that organization, signed in through the console: reads, and the service refuses its write
        String viewerName = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String viewerPassword = UUID.randomUUID().toString();
        keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .contentType(ContentType.JSON)
                .body(Map.of("username", viewerName, "password", viewerPassword, "memberships",
                        List.of(Map.of("organization_id", org, "role", "viewer"))))
                .post("/console/api/inventory/users")).then().statusCode(201);
        Login viewer = login(viewerName, viewerPassword);
        Response view = keep(given().cookie("bw_session", viewer.cookie()).get("/console/api/session"));
        view.then().statusCode(200).body("superuser", equalTo(false)).body("organizations[0].id", equalTo(org))
                .body("organizations[0].role", equalTo("viewer")).body("organizations[0].name", equalTo(
                        created.jsonPath().getString("name")));
        keep(given().cookie("bw_session", viewer.cookie()).get("/console/api/inventory/organizations/" + org))
                .then().statusCode(200).body("id", equalTo(org));
        Response refused = keep(given().cookie("bw_session", viewer.cookie()).header("X-CSRF-Token", viewer.csrf())
                .contentType(ContentType.JSON)
                .body(Map.of("organization_id", org, "name", "d1", "address", "198.51.100.7", "ssh_user", "root",
                        "password", "secret-1"))
                .post("/console/api/inventory/devices"));
        refused.then().statusCode(403).contentType("application/problem+json");
        // the answer is inventory's own problem (its instance is the service path), passed through unchanged
        assertThat(refused.jsonPath().getString("instance")).isEqualTo("/api/v1/devices");

        assertNoJwtIn(admin.jwt());
        assertNoJwtIn(viewer.jwt());
    }

    @Test
    void theProxyRefusesTheTokenEndpointAndInternalPathsHoweverSpelled() {
        Login admin = login("admin", RealInventory.adminPassword());
        for (String path : List.of("inventory/auth/token", "inventory/AUTH/token", "inventory/%61uth/token",
                "inventory/internal/checks/" + UUID.randomUUID() + "/run-secrets", "runner/internal/x",
                "metrics/internal/x", "alert/internal/x", "inventory/./internal/x", "inventory/x/../internal/y",
                "inventory/%2e%2e/internal", "inventory/devices%2F..%2Finternal", "inventory/")) {
            keep(given().cookie("bw_session", admin.cookie()).urlEncodingEnabled(false).get("/console/api/" + path))
                    .then().statusCode(404);
        }
        keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .contentType(ContentType.JSON).body(Map.of("username", "admin", "password", RealInventory.adminPassword()))
                .post("/console/api/inventory/auth/token")).then().statusCode(404);
        keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .contentType(ContentType.JSON).body("{\"fingerprint\": \"SHA256:x\"}")
                .put("/console/api/inventory/internal/devices/" + UUID.randomUUID() + "/host-key")).then().statusCode(404);
        assertNoJwtIn(admin.jwt());
    }

    @Test
    void aServiceThatIsDownIsA502NamingIt() {
        Login admin = login("admin", RealInventory.adminPassword());
        keep(given().cookie("bw_session", admin.cookie())
                .get("/console/api/metrics/devices/" + UUID.randomUUID() + "/charts?time=7d"))
                .then().statusCode(502).contentType("application/problem+json")
                .body("detail", equalTo("metrics-service is unreachable"));
        assertNoJwtIn(admin.jwt());
    }

    @Test
    void logoutEndsTheSessionAndTheOldCookieNoLongerWorks() {
        Login admin = login("admin", RealInventory.adminPassword());
        keep(given().cookie("bw_session", admin.cookie()).delete("/console/api/session")).then().statusCode(403);
        Response out = keep(given().cookie("bw_session", admin.cookie()).header("X-CSRF-Token", admin.csrf())
                .delete("/console/api/session"));
        out.then().statusCode(204);
        assertThat(out.getHeader("Set-Cookie")).startsWith("bw_session=;").contains("Max-Age=0").contains("HttpOnly");
        assertThat(redis.key(String.class).exists(SessionStore.KEY_PREFIX + admin.cookie())).isFalse();
        keep(given().cookie("bw_session", admin.cookie()).get("/console/api/session")).then().statusCode(401)
                .contentType("application/problem+json");
        keep(given().cookie("bw_session", admin.cookie()).get("/console/api/inventory/devices")).then().statusCode(401);
        keep(given().cookie("bw_session", admin.cookie()).get("/console/api/fleet")).then().statusCode(401);
        keep(given().cookie("bw_session", "not-a-session").get("/console/api/session")).then().statusCode(401);
        assertNoJwtIn(admin.jwt());
    }

    @Test
    void readyOnlyWithRedisAndInventory() {
        ManagementPort.given(management).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'inventory-service' }.status", equalTo("UP"));
    }

    @Test
    void managementEndpointsAnswerOnlyOnTheManagementPort() {
        ManagementPort.assertOnlyOnManagementPort(management);
    }
}
