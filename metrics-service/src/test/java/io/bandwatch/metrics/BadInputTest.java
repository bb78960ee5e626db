package io.bandwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.testing.BadInput;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The charts API has no request bodies: its query and path parameters against what a client can get wrong
 * (400 naming the parameter, never 404 or 500), and 401 as a problem with a challenge.
 */
@QuarkusTest
class BadInputTest {

    private final Supplier<RequestSpecification> root = () -> given().auth().oauth2(TestJwt.superuser("root"));
    private final String charts = "/api/v1/devices/" + UUID.randomUUID() + "/charts";

    @Test
    void queryAndPathParameters() {
        BadInput.queryParameter(root, charts, "tz", "a\u0000b");
        // blank is not "any organization": the same answer as for any other UUID parameter
        BadInput.queryParameter(root, "/api/v1/fleet/slowest", "organization_id", "not-a-uuid");
        BadInput.queryParameter(root, "/api/v1/fleet/slowest", "organization_id", " ");
        root.get().get("/api/v1/devices/not-a-uuid/charts").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
        root.get().get("/api/v1/devices/not-a-uuid/charts/bandwidth.csv").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
    }

    @Test
    void unauthorizedHasAChallengeAndAProblem() {
        BadInput.unauthorized("GET", charts);
    }
}
