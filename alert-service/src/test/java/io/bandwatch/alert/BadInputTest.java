package io.bandwatch.alert;

import static io.restassured.RestAssured.given;

import io.bandwatch.testing.BadInput;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every POST/PUT endpoint and the typed parameters against what a client can get wrong: 400 naming it, never 500. */
@QuarkusTest
class BadInputTest {

    private final Supplier<RequestSpecification> root = () -> given().auth().oauth2(TestJwt.superuser("root"));
    private final String id = UUID.randomUUID().toString();

    @Test
    void bodiesOfEveryWriteEndpoint() {
        BadInput.body(root, "POST", "/api/v1/alert-settings", "field");
        BadInput.body(root, "PUT", "/api/v1/alert-settings/" + id, "field");
        BadInput.body(root, "POST", "/api/v1/webhooks", "url");
        BadInput.arrayBody(root, "PUT", "/api/v1/organizations/" + id + "/alert-defaults", "field");
    }

    @Test
    void queryAndPathParameters() {
        BadInput.queryParameter(root, "/api/v1/notifications", "unread", "maybe");
        BadInput.queryParameter(root, "/api/v1/notifications", "limit", "ten");
        BadInput.queryParameter(root, "/api/v1/notifications", "device_id", "not-a-uuid");
        BadInput.queryParameter(root, "/api/v1/notifications", "type", "a\u0000b");
        BadInput.queryParameter(root, "/api/v1/alert-settings", "check_id", "1-2-3-4-5");
        BadInput.queryParameter(root, "/api/v1/webhooks/" + id + "/deliveries", "limit", "1.5");
        // blank is not "any organization": the same answer as for any other UUID parameter
        BadInput.queryParameter(root, "/api/v1/failing-devices", "organization_id", "not-a-uuid");
        BadInput.queryParameter(root, "/api/v1/failing-devices", "organization_id", " ");
    }

    @Test
    void unauthorizedHasAChallengeAndAProblem() {
        BadInput.unauthorized("GET", "/api/v1/alert-settings");
        BadInput.unauthorized("POST", "/api/v1/webhooks");
        BadInput.unauthorized("GET", "/api/v1/device-health/" + id);
    }
}
