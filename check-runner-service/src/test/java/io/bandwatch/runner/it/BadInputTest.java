package io.bandwatch.runner.it;

import static io.restassured.RestAssured.given;

import io.bandwatch.testing.BadInput;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The runner's API has no request bodies: its typed query and path parameters against what a client can get
 * wrong (400 naming the parameter, never 404 or 500), and 401 as a problem with a challenge.
 */
@QuarkusTest
class BadInputTest {

    private final Supplier<RequestSpecification> viewer =
            () -> given().auth().oauth2(TestJwt.user("v", java.util.Map.of(UUID.randomUUID(), "viewer")));

    @Test
    void queryAndPathParameters() {
        BadInput.queryParameter(viewer, "/api/v1/runs", "device", "nope");
        BadInput.queryParameter(viewer, "/api/v1/runs", "check", "1-2-3-4-5");
        BadInput.queryParameter(viewer, "/api/v1/runs", "limit", "ten");
        BadInput.queryParameter(viewer, "/api/v1/runs", "limit", "501");
        viewer.get().get("/api/v1/checks/not-a-uuid/schedule").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("id"));
    }

    @Test
    void unauthorizedHasAChallengeAndAProblem() {
        BadInput.unauthorized("GET", "/api/v1/runs");
        BadInput.unauthorized("GET", "/api/v1/iperf3-servers/status");
    }
}
