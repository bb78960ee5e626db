package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;

import io.bandwatch.testing.BadInput;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every POST/PUT endpoint and the typed query parameters against what a client can get wrong: 400 naming it, never 500. */
@QuarkusTest
class BadInputTest {

    private final Supplier<RequestSpecification> root = () -> as(Api.superuser());
    private final String id = UUID.randomUUID().toString();

    @Test
    void bodiesOfEveryWriteEndpoint() {
        BadInput.body(() -> as(null), "POST", "/api/v1/auth/token", "username");
        BadInput.body(root, "POST", "/api/v1/organizations", "name");
        BadInput.body(root, "PUT", "/api/v1/organizations/" + id, "name");
        BadInput.body(root, "PUT", "/api/v1/organizations/" + id + "/members/" + id, "role");
        BadInput.body(root, "POST", "/api/v1/users", "username");
        BadInput.body(root, "PUT", "/api/v1/users/" + id, "password");
        BadInput.body(root, "POST", "/api/v1/devices", "name");
        BadInput.body(root, "PUT", "/api/v1/devices/" + id, "name");
        BadInput.body(root, "POST", "/api/v1/iperf3-servers", "host");
        BadInput.body(root, "PUT", "/api/v1/iperf3-servers/" + id, "host");
        BadInput.body(root, "POST", "/api/v1/checks", "name");
        BadInput.body(root, "PUT", "/api/v1/checks/" + id, "name");
        BadInput.body(() -> as(io.bandwatch.testing.TestJwt.service("check-runner")), "PUT",
                "/api/v1/internal/devices/" + id + "/host-key", "fingerprint");
        BadInput.freeFormBody(root, "PUT", "/api/v1/organizations/" + id + "/iperf3-defaults");
        BadInput.freeFormBody(root, "POST", "/api/v1/iperf3-defaults/import");
    }

    @Test
    void queryAndPathParameters() {
        BadInput.queryParameter(root, "/api/v1/iperf3-servers", "enabled", "maybe");
        BadInput.queryParameter(root, "/api/v1/iperf3-servers", "organization_id", "not-a-uuid");
        BadInput.queryParameter(root, "/api/v1/iperf3-servers", "page", "ten");
        BadInput.queryParameter(root, "/api/v1/iperf3-servers", "size", "0");
        BadInput.queryParameter(root, "/api/v1/devices", "tag", "a\u0000b");
        BadInput.queryParameter(root, "/api/v1/users", "organization_id", "1-2-3-4-5");
        BadInput.queryParameter(root, "/api/v1/checks", "active", "1");
        // an id in the path that is not a UUID: the 400 the OpenAPI documents for every {id} operation, naming it
        root.get().get("/api/v1/devices/not-a-uuid").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors.field", org.hamcrest.Matchers.hasItem("id"));
    }

    @Test
    void unauthorizedHasAChallengeAndAProblem() {
        BadInput.unauthorized("GET", "/api/v1/devices");
        BadInput.unauthorized("POST", "/api/v1/checks");
    }
}
