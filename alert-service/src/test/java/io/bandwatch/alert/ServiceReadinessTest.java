package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.testing.ManagementPort;
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
        assertThat(metrics).contains("jvm_memory_used_bytes");
        management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", equalTo("Bandwatch alert-service"))
                // request bodies documented as the API reads them: snake_case, not the Java names
                .body("components.schemas.AlertSettingInput.properties", org.hamcrest.Matchers.hasKey("check_id"))
                .body("components.schemas.AlertSettingInput.properties", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("checkId")));
        management().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theProblemsOfAnAlertSettingAreDocumentedAsProblemDetails() {
        // platform ProblemResponses: each problem of GET and POST /alert-settings as RFC 9457 problem details
        JsonPath doc = management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        String get = "paths.'/api/v1/alert-settings/{id}'.get.responses";
        assertThat(doc.getMap(get).keySet()).contains("400", "401", "403", "404");
        assertThat(doc.getString(get + ".'404'.description")).isEqualTo("unknown or another organization's setting");
        // the body of a success, which an own @APIResponse used to hide (platform SuccessResponses now fails such a build)
        assertThat(doc.getString(get + ".'200'.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/AlertSettingView");
        String post = "paths.'/api/v1/alert-settings'.post.responses";
        for (String response : new String[] {get + ".'404'", get + ".'401'", post + ".'400'", post + ".'409'"}) {
            assertThat(doc.getString(response + ".content.'application/problem+json'.schema.'$ref'"))
                    .as(response).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(doc.getString(post + ".'409'.description")).isEqualTo("the check already has a setting for that field");
    }

    @Test
    void flywayMigratedTheServiceDatabase() {
        assertThat(flyway.info().applied())
                .extracting(migration -> migration.getVersion().getVersion())
                .contains("1");
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
