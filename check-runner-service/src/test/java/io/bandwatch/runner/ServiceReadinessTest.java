package io.bandwatch.runner;

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
 * The service boots against the real PostgreSQL, Redis and Kafka of the local stack and reports ready, with the
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
    void readyWithDatabaseRedisAndKafkaUp() {
        JsonPath health = management().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .extract().jsonPath();
        assertThat(health.getList("checks.name", String.class))
                .contains("Kafka connection health check", "Redis connection health check")
                .anyMatch(name -> name.contains("PostgreSQL") || name.contains("Database"));
        assertThat(health.getList("checks.status", String.class)).containsOnly("UP");
    }

    @Test
    void liveMetricsAndOpenApiAreServed() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
        management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", equalTo("Bandwatch check-runner-service"));
        management().when().get("/q/swagger-ui/").then().statusCode(200);
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
