package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bandwatch.alert.support.Events;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.testing.OpenApiProof;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is what the API accepts and answers: each documented example request is sent as it is
 * (its organization and check replaced by this test's, a webhook URL by one this test environment lets through, a
 * PUT on a setting of that check) and accepted, and each answer matches the documented schema; the alert-settings
 * list answers as documented too.
 */
@QuarkusTest
class OpenApiExamplesTest {

    /** The management interface, where the OpenAPI document is served. */
    @TestHTTPResource(management = true)
    URL management;

    @Test
    void everyDocumentedExampleIsAcceptedAndAnsweredAsDocumented() {
        // an iperf3 check alert knows (from inventory.checks), with its built-in default settings
        Events.Fixture f = Events.Fixture.iperf3();
        UUID org = f.org();
        String operator = TestJwt.user("op", Map.of(org, "operator"));
        TestKafka.send(f.deviceSnapshot());
        TestKafka.send(f.checkSnapshot());
        List<String> settings = await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(operator)
                .queryParam("check_id", f.check()).get("/api/v1/alert-settings").then().statusCode(200).extract()
                .jsonPath().getList("id", String.class), ids -> ids.size() == 2);
        List<OpenApiProof.Sent> sent = OpenApiProof.sendExamples(management, e -> given().auth().oauth2(operator),
                e -> Map.of("id", settings.get(0), "organizationId", org.toString()),
                // the documented host is not resolvable here; the test profile allows this internal address
                e -> Map.of("organization_id", org, "url", "http://127.0.0.2:9/hook", "check_id", f.check()));
        assertThat(sent).extracting(s -> s.method() + " " + s.path() + " " + s.status())
                .contains("post /api/v1/webhooks 201", "post /api/v1/alert-settings 201",
                        "put /api/v1/alert-settings/{id} 200", "put /api/v1/organizations/{organizationId}/alert-defaults 200");
        assertThat(OpenApiProof.get(OpenApiProof.document(management), () -> given().auth().oauth2(operator), "/api/v1/webhooks",
                "/api/v1/webhooks")).isEqualTo(200);
    }
}
