package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every user endpoint with two organizations: no token is 401; a member of organization B acting on A's
 * objects gets 404 exactly as for an unknown id (and never learns more); a member of A whose role is too low
 * gets 403; the required role succeeds. The internal endpoints are covered in {@link InternalEndpointsTest}.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    /** Objects of organization A, fresh for each case. */
    record Fixture(UUID org, UUID device, UUID check, UUID server, UUID user) {
        static Fixture create() {
            UUID org = Api.organization();
            UUID device = Api.createDevice(org, false);
            UUID check = Api.createCheck(org, device, "ping", Map.of());
            UUID server = Api.createServer(org, Api.randomHost());
            String user = as(Api.superuser()).body(Map.of("username", "u-" + UUID.randomUUID().toString().substring(0, 8),
                    "password", "a-long-password", "memberships",
                    List.of(Map.of("organization_id", org.toString(), "role", "viewer"))))
                    .post("/api/v1/users").then().statusCode(201).extract().path("id");
            return new Fixture(org, device, check, server, UUID.fromString(user));
        }

        static Fixture unknown() {
            return new Fixture(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                    UUID.randomUUID());
        }

        String path(String template) {
            return template.replace("{org}", org.toString()).replace("{device}", device.toString())
                    .replace("{check}", check.toString()).replace("{server}", server.toString())
                    .replace("{user}", user.toString());
        }
    }

    record Endpoint(String method, String path, String role, Function<Fixture, Object> body) {
        @Override
        public String toString() {
            return method + " " + path + " (" + role + ")";
        }
    }

    static Map<String, Object> deviceBody(Fixture f) {
        Map<String, Object> body = Api.device(f.org(), "d-" + UUID.randomUUID());
        body.put("create_default_checks", false);
        return body;
    }

    static Map<String, Object> serverBody(Fixture f) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_ids", List.of(f.org().toString()));
        body.put("host", Api.randomHost());
        return body;
    }

    static Map<String, Object> checkBody(Fixture f) {
        return Map.of("device_id", f.device().toString(), "type", "ping", "name", "p-" + UUID.randomUUID(),
                "params", Map.of("count", 3));
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("GET", "/api/v1/organizations/{org}", "viewer", null),
                new Endpoint("PUT", "/api/v1/organizations/{org}", "owner", f -> Map.of("name", "o-" + UUID.randomUUID())),
                new Endpoint("GET", "/api/v1/organizations/{org}/members", "owner", null),
                new Endpoint("PUT", "/api/v1/organizations/{org}/members/{user}", "owner", f -> Map.of("role", "operator")),
                new Endpoint("DELETE", "/api/v1/organizations/{org}/members/{user}", "owner", null),
                new Endpoint("GET", "/api/v1/organizations/{org}/iperf3-defaults", "viewer", null),
                new Endpoint("PUT", "/api/v1/organizations/{org}/iperf3-defaults", "owner",
                        f -> Map.of("client_options", Map.of("time", 20))),
                new Endpoint("POST", "/api/v1/iperf3-defaults/import", "owner",
                        f -> Map.of(f.org().toString(), Map.of("host", List.of("pool.example.net")))),
                new Endpoint("GET", "/api/v1/users/{user}", "owner", null),
                new Endpoint("PUT", "/api/v1/users/{user}", "owner", f -> Map.of("enabled", true)),
                new Endpoint("POST", "/api/v1/users", "owner", f -> Map.of("username",
                        "n-" + UUID.randomUUID().toString().substring(0, 8), "password", "a-long-password", "memberships",
                        List.of(Map.of("organization_id", f.org().toString(), "role", "viewer")))),
                new Endpoint("GET", "/api/v1/devices/{device}", "viewer", null),
                new Endpoint("POST", "/api/v1/devices", "owner", AuthorizationMatrixTest::deviceBody),
                new Endpoint("PUT", "/api/v1/devices/{device}", "owner", f -> {
                    Map<String, Object> body = deviceBody(f);
                    body.remove("private_key");
                    return body;
                }),
                new Endpoint("DELETE", "/api/v1/devices/{device}", "owner", null),
                new Endpoint("GET", "/api/v1/checks/{check}", "viewer", null),
                new Endpoint("POST", "/api/v1/checks", "operator", AuthorizationMatrixTest::checkBody),
                new Endpoint("PUT", "/api/v1/checks/{check}", "operator", AuthorizationMatrixTest::checkBody),
                new Endpoint("DELETE", "/api/v1/checks/{check}", "operator", null),
                new Endpoint("POST", "/api/v1/checks/{check}/run", "operator", null),
                new Endpoint("GET", "/api/v1/iperf3-servers/{server}", "viewer", null),
                new Endpoint("POST", "/api/v1/iperf3-servers", "owner", AuthorizationMatrixTest::serverBody),
                new Endpoint("PUT", "/api/v1/iperf3-servers/{server}", "owner", AuthorizationMatrixTest::serverBody),
                new Endpoint("DELETE", "/api/v1/iperf3-servers/{server}", "owner", null));
    }

    static Response call(Endpoint e, Fixture f, String token) {
        RequestSpecification spec = as(token).header("If-Match", "\"0\"");
        if (e.body() != null) {
            spec = spec.body(e.body().apply(f));
        }
        return spec.request(e.method(), f.path(e.path()));
    }

    static final List<String> ROLES = List.of("viewer", "operator", "owner");

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void everyEndpointSeparatesOrganizationsAndRoles(Endpoint e) {
        Fixture f = Fixture.create();
        UUID orgB = Api.organization();

        Response anonymous = call(e, f, null);
        assertThat(anonymous.statusCode()).as("no token").isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");

        for (String role : ROLES) {
            Response foreign = call(e, f, Api.token(orgB, role));
            assertThat(foreign.statusCode()).as(role + " of B").isEqualTo(404);
            assertThat(foreign.contentType()).startsWith("application/problem+json");
            // exactly the answer for ids that do not exist
            Response unknown = call(e, Fixture.unknown(), Api.token(orgB, role));
            assertThat(unknown.statusCode()).as(role + " of B, unknown ids").isEqualTo(404);
            for (String field : List.of("type", "title", "status", "detail", "errors")) {
                assertThat((Object) foreign.path(field)).as(field).isEqualTo(unknown.path(field));
            }
        }
        for (String role : ROLES.subList(0, ROLES.indexOf(e.role()))) {
            Response low = call(e, f, Api.token(f.org(), role));
            assertThat(low.statusCode()).as(role + " of A").isEqualTo(403);
            assertThat(low.contentType()).startsWith("application/problem+json");
        }
        Response allowed = call(e, f, Api.token(f.org(), e.role()));
        assertThat(allowed.statusCode()).as(e.role() + " of A: " + allowed.asString()).isBetween(200, 299);
    }

    @ParameterizedTest
    @MethodSource("lists")
    void listsNeverShowAnotherOrganizationsObjects(String path) {
        Fixture f = Fixture.create();
        UUID orgB = Api.organization();
        for (String role : ROLES) {
            String body = as(Api.token(orgB, role)).get(path).then().extract().asString();
            assertThat(body).doesNotContain(f.org().toString()).doesNotContain(f.device().toString())
                    .doesNotContain(f.server().toString()).doesNotContain(f.check().toString());
            String filtered = as(Api.token(orgB, role)).queryParam("organization_id", f.org().toString()).get(path)
                    .then().extract().asString();
            assertThat(filtered).doesNotContain(f.device().toString()).doesNotContain(f.server().toString())
                    .doesNotContain(f.check().toString());
        }
        as(null).get(path).then().statusCode(401);
    }

    static Stream<String> lists() {
        return Stream.of("/api/v1/organizations", "/api/v1/devices", "/api/v1/checks", "/api/v1/iperf3-servers");
    }
}
