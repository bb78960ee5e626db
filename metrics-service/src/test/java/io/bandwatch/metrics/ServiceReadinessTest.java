package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.testing.ManagementPort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The service boots against the real InfluxDB (behind the local nginx rewrite) and Kafka of the local stack and reports ready, with the
 * operational endpoints an operator relies on, on the management interface only.
 */
@QuarkusTest
class ServiceReadinessTest {

    /** The management interface (health, metrics, OpenAPI, Swagger UI), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    @Test
    void readyWithInfluxAndKafkaUp() {
        JsonPath health = management().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .extract().jsonPath();
        assertThat(health.getList("checks.name", String.class))
                .contains("Kafka connection health check", "InfluxDB connection health check");
        assertThat(health.getList("checks.status", String.class)).containsOnly("UP");
    }

    @Test
    void liveMetricsAndOpenApiAreServed() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
        management().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", equalTo("Bandwatch metrics-service"));
        management().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void managementEndpointsAnswerOnlyOnTheManagementPort() {
        ManagementPort.assertOnlyOnManagementPort(management);
    }

    private RequestSpecification management() {
        return ManagementPort.given(management);
    }
}
