package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.testing.OpenApiProof;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        String owner = Api.token(org, "owner");
        // a check's hosts must be servers of its organization, and a server's endpoint is unique across
        // organizations: the iperf3 examples name a host this test registers
        String checkHost = Api.randomHost();
        Api.createServer(org, checkHost, 5201);
        // what the PUT examples replace: a device, an iperf3 and a ping check of it, a server on the example's port,
        // the organization, a user of it
        String host = Api.randomHost();
        String userName = "u-" + UUID.randomUUID();
        String user = Api.as(owner).body(Map.of("username", userName, "password", "a long password",
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "viewer"))))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        Map<String, String> targets = Map.of(
                "put /api/v1/devices/{id}", Api.createDevice(org, false).toString(),
                "put /api/v1/checks/{id} iperf3", Api.createCheck(org, device, "iperf3", Map.of()).toString(),
                "put /api/v1/checks/{id} ping", Api.createCheck(org, device, "ping", Map.of()).toString(),
                "put /api/v1/iperf3-servers/{id}", Api.createServer(org, host, 5202).toString(),
                "put /api/v1/organizations/{id}", org.toString(),
                "put /api/v1/users/{id}", user);
        Map<String, Object> ids = Map.of("organization_id", org, "organization_ids", List.of(org), "device_id", device);
        List<OpenApiProof.Sent> sent = OpenApiProof.sendExamples(management,
                e -> {
                    String token = e.method().equals("post") && e.template().equals("/api/v1/organizations")
                            ? Api.superuser() : e.template().startsWith("/api/v1/internal/") ? TestJwt.service("check-runner")
                            : owner;
                    String target = target(targets, e);
                    return target == null ? Api.as(token)
                            : Api.as(token).header("If-Match", etag(owner, e.template(), target));
                },
                e -> Map.of("id", Objects.requireNonNullElse(target(targets, e), org.toString()), "userId", user,
                        "deviceId", device.toString()),
                e -> {
                    Map<String, Object> replaced = new HashMap<>(ids);
                    // names and endpoints unique across organizations: made unique for this test
                    if (e.template().startsWith("/api/v1/iperf3-servers")) {
                        replaced.put("host", host);
                    } else if (e.template().startsWith("/api/v1/checks")) {
                        replaced.put("host", List.of(checkHost));
                    } else if (e.template().startsWith("/api/v1/organizations")) {
                        replaced.put("name", "org-" + UUID.randomUUID());
                    } else if (e.template().startsWith("/api/v1/users")) {
                        replaced.put("username", "ada-" + UUID.randomUUID());
                    } else if (e.template().equals("/api/v1/auth/token")) {
                        replaced.putAll(Map.of("username", userName, "password", "a long password"));
                    }
                    return replaced;
                });
        assertThat(sent).extracting(s -> s.method() + " " + s.path() + " " + s.example() + " " + s.status())
                .contains("post /api/v1/checks iperf3 201", "post /api/v1/checks ping 201",
                        "post /api/v1/devices router 201", "post /api/v1/iperf3-servers server 201",
                        "put /api/v1/devices/{id} moved 200", "put /api/v1/checks/{id} iperf3 200",
                        "put /api/v1/checks/{id} ping 200", "put /api/v1/iperf3-servers/{id} disabled 200",
                        "post /api/v1/organizations branch 201", "put /api/v1/organizations/{id} renamed 200",
                        "put /api/v1/organizations/{id}/iperf3-defaults longer 200",
                        "put /api/v1/organizations/{id}/members/{userId} operator 200",
                        "post /api/v1/users viewer 201", "put /api/v1/users/{id} new password 200",
                        "post /api/v1/auth/token sign-in 200", "put /api/v1/internal/devices/{deviceId}/host-key first use 204");
    }

    /** The object the test made for a PUT example: by operation and example name, else by operation. */
    private static String target(Map<String, String> targets, OpenApiProof.Example e) {
        String operation = e.method() + " " + e.template();
        return targets.getOrDefault(operation + " " + e.name(), targets.get(operation));
    }

    /** The current ETag of the object at the template's path. */
    private static String etag(String token, String template, String id) {
        return Api.as(token).get(template.replace("{id}", id)).then().statusCode(200).extract().header("ETag");
    }

    @Test
    void requestBodiesAreDocumentedInSnakeCase() {
        String document = OpenApiProof.document(management).path("components").path("schemas").toString();
        assertThat(document).contains("\"device_id\"", "\"organization_ids\"", "\"ssh_user\"")
                .doesNotContain("\"deviceId\"", "\"organizationIds\"", "\"sshUser\"");
    }
}
