package io.bandwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.testing.OpenApiProof;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is what the API answers. metrics-service takes no request bodies (so the document shows no
 * example request to send): each JSON endpoint is called, and its answers, good and bad, are validated against
 * the schema the document gives for their status.
 */
@QuarkusTest
class OpenApiResponsesTest {

    /** The management interface, where the OpenAPI document is served. */
    @TestHTTPResource(management = true)
    URL management;

    @Test
    void everyAnswerMatchesTheDocument() {
        JsonNode doc = OpenApiProof.document(management);
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        Supplier<RequestSpecification> viewer = () -> given().auth().oauth2(TestJwt.user("viewer", Map.of(org, "viewer")));
        Supplier<RequestSpecification> root = () -> given().auth().oauth2(TestJwt.superuser("root"));
        assertThat(OpenApiProof.get(doc, root, "/api/v1/fleet/slowest", "/api/v1/fleet/slowest?limit=5")).isEqualTo(200);
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/fleet/slowest", "/api/v1/fleet/slowest?organization_id=" + org))
                .isEqualTo(200);
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/fleet/slowest", "/api/v1/fleet/slowest?limit=0")).isEqualTo(400);
        assertThat(OpenApiProof.get(doc, root, "/api/v1/fleet/latest", "/api/v1/fleet/latest?device_id=" + device))
                .isEqualTo(200);
        assertThat(OpenApiProof.get(doc, root, "/api/v1/fleet/latest", "/api/v1/fleet/latest")).isEqualTo(400);
        // a device of no organization the viewer reads: the documented 404
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/devices/{id}/charts", "/api/v1/devices/" + device + "/charts"))
                .isIn(200, 404);
        assertThat(OpenApiProof.get(doc, root, "/api/v1/devices/{id}/charts",
                "/api/v1/devices/" + device + "/charts?time=yesterday")).isIn(400, 404);
    }
}
