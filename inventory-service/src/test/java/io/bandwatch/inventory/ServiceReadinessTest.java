package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.testing.ManagementPort;
import io.bandwatch.testing.JwtKeysResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The service boots against the real PostgreSQL and Kafka of the local stack and reports ready, with the
 * operational endpoints an operator relies on, on the management interface only.
 */
@QuarkusTest
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)
class ServiceReadinessTest {

    /** The management interface (health, metrics, OpenAPI, Swagger UI), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    @Inject
    Flyway flyway;

    @Test
    void readyWithDatabaseAndKafkaUp() {
        JsonPath health = management().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .extract().jsonPath();
        assertThat(health.getList("checks.name", String.class))
                .contains("Kafka connection health check")
                .anyMatch(name -> name.contains("PostgreSQL") || name.contains("Database"));
        assertThat(health.getList("checks.status", String.class)).containsOnly("UP");
    }

    @Test
    void liveMetricsAndOpenApiAreServed() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("bandwatch_outbox_sent_total");
        management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", equalTo("Bandwatch inventory-service"))
                // request bodies documented as the API reads them: snake_case, not the Java names
                .body("components.schemas.DeviceRequest.properties", org.hamcrest.Matchers.hasKey("ssh_port"))
                .body("components.schemas.DeviceRequest.properties", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("sshPort")));
        management().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void everyProblemOfAnOperationIsDocumentedAsProblemDetails() {
        // platform ProblemResponses: what a client of PUT /devices/{id} can get wrong, each as RFC 9457 problem details
        JsonPath doc = management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        String put = "paths.'/api/v1/devices/{id}'.put.responses";
        assertThat(doc.getMap(put).keySet()).containsExactlyInAnyOrder("200", "400", "401", "403", "404", "409", "412",
                "428");
        for (String status : new String[] {"400", "401", "403", "404", "409", "412", "428"}) {
            assertThat(doc.getString(put + ".'" + status + "'.content.'application/problem+json'.schema.'$ref'"))
                    .as(status).isEqualTo("#/components/schemas/Problem");
        }
        // the operation's own words stay; the standard ones say what the status means here
        assertThat(doc.getString(put + ".'409'.description")).isEqualTo("the name is taken");
        assertThat(doc.getString(put + ".'412'.description")).isEqualTo("If-Match is not the current version");
        assertThat(doc.getMap("paths.'/api/v1/devices'.get.responses").keySet()).contains("400", "401", "403")
                .doesNotContain("404");
        // what a success answers, as the operations answer it (platform SuccessResponses fails a build without it)
        assertThat(doc.getString("paths.'/api/v1/devices/{id}'.get.responses.'200'.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/DeviceView");
        assertThat(doc.getMap("paths.'/api/v1/devices/{id}'.delete.responses").keySet()).contains("204")
                .doesNotContain("200");
        assertThat(doc.getMap("paths.'/api/v1/checks/{id}/run'.post.responses").keySet()).contains("202")
                .doesNotContain("200");
        assertThat(doc.getMap("components.schemas.Problem.properties").keySet())
                .containsExactly("type", "title", "status", "detail", "instance", "errors");
    }

    @Test
    void flywayMigratedTheServiceDatabase() {
        assertThat(flyway.info().applied())
                .extracting(migration -> migration.getVersion().getVersion())
                .contains("1", "2");
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void managementEndpointsAnswerOnlyOnTheManagementPort() {
        ManagementPort.assertOnlyOnManagementPort(management);
    }

    private RequestSpecification management() {
        return ManagementPort.given(management);
    }
}
