package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.testing.OpenApiProof;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is what the API accepts and answers: each documented example request is sent as it is
 * (its ids replaced by objects of this test) and accepted, and each answer matches the documented schema.
 */
@QuarkusTest
class OpenApiExamplesTest {

    /** The management interface, where the OpenAPI document is served. */
    @TestHTTPResource(management = true)
    URL management;

    @Test
    void everyDocumentedExampleIsAcceptedAndAnsweredAsDocumented() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        // the iperf3 example names iperf1.example.net: a check's hosts must be servers of its organization (the
        // server example registers the same host on port 5201, so this one takes 5202)
        Api.createServer(org, "iperf1.example.net", 5202);
        List<OpenApiProof.Sent> sent = OpenApiProof.sendExamples(management, () -> Api.as(Api.token(org, "owner")),
                Map.of("id", org.toString()),
                Map.of("organization_id", org, "organization_ids", List.of(org), "device_id", device));
        assertThat(sent).extracting(s -> s.method() + " " + s.path() + " " + s.example() + " " + s.status())
                .contains("post /api/v1/checks iperf3 201", "post /api/v1/checks ping 201",
                        "post /api/v1/devices router 201", "post /api/v1/iperf3-servers server 201");
    }

    @Test
    void requestBodiesAreDocumentedInSnakeCase() {
        String document = OpenApiProof.document(management).path("components").path("schemas").toString();
        assertThat(document).contains("\"device_id\"", "\"organization_ids\"", "\"ssh_user\"")
                .doesNotContain("\"deviceId\"", "\"organizationIds\"", "\"sshUser\"");
    }
}
