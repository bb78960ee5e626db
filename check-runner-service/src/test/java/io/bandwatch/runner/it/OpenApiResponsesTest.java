package io.bandwatch.runner.it;

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
 * The OpenAPI document is what the API answers. The runner takes no request bodies (so the document shows no
 * example request to send): each JSON endpoint is called and its answer validated against the schema the document
 * gives for its status.
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
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/runs", "/api/v1/runs?limit=5")).isEqualTo(200);
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/runs/latest", "/api/v1/runs/latest?device_id=" + device))
                .isEqualTo(200);
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/capacity", "/api/v1/capacity?organization_id=" + org))
                .isEqualTo(200);
        assertThat(OpenApiProof.get(doc, viewer, "/api/v1/iperf3-servers/status", "/api/v1/iperf3-servers/status"))
                .isEqualTo(200);
    }
}
