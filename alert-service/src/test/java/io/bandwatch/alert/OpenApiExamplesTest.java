package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.testing.OpenApiProof;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is what the API accepts and answers: each documented example request is sent as it is
 * (its organization replaced by this test's, and a webhook URL by one this test environment lets through) and
 * accepted, and each answer matches the documented schema; the alert-settings list answers as documented too.
 */
@QuarkusTest
class OpenApiExamplesTest {

    /** The management interface, where the OpenAPI document is served. */
    @TestHTTPResource(management = true)
    URL management;

    @Test
    void everyDocumentedExampleIsAcceptedAndAnsweredAsDocumented() {
        UUID org = UUID.randomUUID();
        String operator = TestJwt.user("op", Map.of(org, "operator"));
        List<OpenApiProof.Sent> sent = OpenApiProof.sendExamples(management, () -> given().auth().oauth2(operator), Map.of(),
                // the documented host is not resolvable here; the test profile allows this internal address
                Map.of("organization_id", org, "url", "http://127.0.0.2:9/hook"));
        assertThat(sent).extracting(s -> s.method() + " " + s.path() + " " + s.status())
                .contains("post /api/v1/webhooks 201");
        assertThat(OpenApiProof.get(OpenApiProof.document(management), () -> given().auth().oauth2(operator), "/api/v1/webhooks",
                "/api/v1/webhooks")).isEqualTo(200);
    }
}
