package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.metrics.support.PrivateInflux;
import io.bandwatch.metrics.support.PrivateInfluxResource;
import io.bandwatch.testing.ManagementPort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * InfluxDB not up yet when the service starts (issue 15 item 6): the service starts against a private nginx whose
 * influxd is not running, so every call answers 502 and the schema cannot be set up. Readiness is DOWN and says
 * why; once influxd is started the schema set-up, retried in the background, creates the database, its retention
 * policies and continuous queries, and readiness turns UP.
 */
@QuarkusTest
@TestProfile(InfluxSchemaRetryTest.InfluxdLate.class)
class InfluxSchemaRetryTest {

    /** The management interface (health, metrics), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    public static class InfluxdLate implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivateInfluxResource.class,
                    Map.of(PrivateInfluxResource.INFLUXD_AT_START, "false")));
        }
    }

    @Test
    void readinessIsDownUntilTheSchemaIsSetUpOnceInfluxdIsUp() {
        PrivateInflux influx = PrivateInfluxResource.influx();
        assertThat(influx.influxdRunning()).isFalse();

        JsonPath down = readiness(503);
        assertThat(influxCheck(down, "status")).isEqualTo("DOWN");
        assertThat(influxCheck(down, "data.schema")).startsWith("not set up yet");
        // still down a few retries later (the test profile retries every 200 ms to 2 s)
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(influxCheck(readiness(503), "status")).isEqualTo("DOWN"));

        influx.startInfluxd();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(influxCheck(readiness(200), "status")).isEqualTo("UP"));
        assertThat(influxCheck(readiness(200), "data.schema")).isEqualTo("set up");

        // what the retried set-up created, read from the private influxd itself
        List<String> policies = new ArrayList<>();
        Fixtures.rows(influx.rawUrl(), "SHOW RETENTION POLICIES ON \"" + Fixtures.DATABASE + "\"")
                .forEach(p -> policies.add(p.get(0).asText() + " " + p.get(4).asBoolean()));
        assertThat(policies).contains("raw true", "hourly false", "daily false");
        List<String> queries = new ArrayList<>();
        Fixtures.influxQl(influx.rawUrl(), "SHOW CONTINUOUS QUERIES").path("results").path(0).path("series")
                .forEach(s -> {
                    if (Fixtures.DATABASE.equals(s.path("name").asText())) {
                        s.path("values").forEach(v -> queries.add(v.get(0).asText()));
                    }
                });
        assertThat(queries).containsExactlyInAnyOrder("iperf3_hourly", "ping_hourly", "iperf3_daily", "ping_daily");
    }

    private JsonPath readiness(int status) {
        return ManagementPort.given(management).when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
    }

    private static String influxCheck(JsonPath health, String path) {
        return health.getString("checks.find { it.name == 'InfluxDB connection health check' }." + path);
    }
}
