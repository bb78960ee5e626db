package io.bandwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * The service boots against the real InfluxDB (behind the local nginx rewrite) and Kafka of the local stack and reports ready, with the
 * operational endpoints an operator relies on.
 */
@QuarkusTest
class ServiceReadinessTest {

    @Test
    void readyWithInfluxAndKafkaUp() {
        JsonPath health = given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .extract().jsonPath();
        assertThat(health.getList("checks.name", String.class))
                .contains("Kafka connection health check", "InfluxDB connection health check");
        assertThat(health.getList("checks.status", String.class)).containsOnly("UP");
    }

    @Test
    void liveMetricsAndOpenApiAreServed() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", equalTo("Bandwatch metrics-service"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
