package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.lease.Lease;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.testing.ManagementPort;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner's REST API with real JWTs: runs, schedule, pool status; problem details; organization scoping. */
@QuarkusTest
class RestApiTest {

    /** The management interface (health, metrics), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    @Inject
    RunnerConfig config;

    @Inject
    Redis redis;

    @BeforeEach
    void warm() {
        warmUp();
    }

    @Test
    void runsScheduleAndPoolStatusOfAnOrganization() throws Exception {
        UUID org = UUID.randomUUID();
        UUID server = publishServer(List.of(org), 3);
        PinnedCheck pinned = pinnedIperf3Check(org, 8, options(1), null);
        UUID device = pinned.device();
        UUID check = pinned.check();
        CheckResult r = runNow(org, device, check, Duration.ofSeconds(60));
        assertThat(r.status()).isEqualTo(ResultStatus.OK);
        String viewer = TestJwt.user("viewer", Map.of(org, "viewer"));
        String stranger = TestJwt.user("stranger", Map.of(UUID.randomUUID(), "owner"));

        JsonPath runs = given().auth().oauth2(viewer).queryParam("device", device.toString())
                .when().get("/api/v1/runs").then().statusCode(200).extract().jsonPath();
        assertThat(runs.getList("$")).hasSize(1);
        assertThat(runs.getString("[0].event_id")).isEqualTo(r.eventId().toString());
        assertThat(runs.getString("[0].status")).isEqualTo("ok");
        assertThat(runs.getString("[0].trigger")).isEqualTo("request");
        assertThat(runs.getLong("[0].duration_ms")).isPositive();
        assertThat(runs.getString("[0].server.id")).isEqualTo(server.toString());
        assertThat(runs.getLong("[0].server.fencing_token")).isEqualTo(r.server().fencingToken());
        assertThat(given().auth().oauth2(viewer).queryParam("check", check.toString()).get("/api/v1/runs")
                .jsonPath().getList("$")).hasSize(1);
        assertThat(given().auth().oauth2(stranger).queryParam("device", device.toString()).get("/api/v1/runs")
                .jsonPath().getList("$")).isEmpty();

        JsonPath schedule = given().auth().oauth2(viewer).when().get("/api/v1/checks/" + check + "/schedule")
                .then().statusCode(200).extract().jsonPath();
        Instant nextJanuary = Instant.parse((java.time.Year.now(java.time.ZoneOffset.UTC).getValue() + 1) + "-01-01T00:00:00Z");
        assertThat(Instant.parse(schedule.getString("next_run_at"))).isEqualTo(nextJanuary);
        assertThat(schedule.getString("last_status")).isEqualTo("ok");
        assertThat(schedule.getString("last_run_at")).isNotNull();
        assertThat(schedule.getBoolean("running")).isFalse();
        given().auth().oauth2(stranger).when().get("/api/v1/checks/" + check + "/schedule")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));

        // pool status: hold the server with a lease and look at it
        try (LeaseManager other = new LeaseManager(redis, "status-test", config.lease().keyPrefix(), Duration.ofSeconds(20),
                Duration.ofMillis(200))) {
            // the bed's server 3 (its address depends on BANDWATCH_TESTBED_ID)
            ServerRef ref = new ServerRef(server, server(3).get("address").asText(), server(3).get("port").asInt());
            Lease lease = other.acquire(List.of(ref), Duration.ofSeconds(1), "x");
            JsonPath status = given().auth().oauth2(viewer).when().get("/api/v1/iperf3-servers/status")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(status.getList("servers")).hasSize(1);
            assertThat(status.getString("servers[0].id")).isEqualTo(server.toString());
            assertThat(status.getBoolean("servers[0].leased")).isTrue();
            assertThat(status.getString("servers[0].holder")).isEqualTo("status-test");
            assertThat(status.getString("servers[0].since")).isNotNull();
            assertThat(status.getLong("queue_length")).isZero();
            assertThat(status.getMap("waits")).containsKeys("waiting_here", "waits", "timeouts", "mean_wait_seconds");
            other.release(lease);
            JsonPath all = given().auth().oauth2(TestJwt.superuser("root")).get("/api/v1/iperf3-servers/status").jsonPath();
            assertThat(all.getList("servers.id", String.class)).contains(server.toString());
            assertThat(given().auth().oauth2(stranger).get("/api/v1/iperf3-servers/status").jsonPath()
                    .getList("servers.id", String.class)).doesNotContain(server.toString());
        }
        String metrics = ManagementPort.given(management).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("bandwatch_lease_queue_length", "bandwatch_lease_servers_leased",
                "bandwatch_lease_waiting", "bandwatch_lease_wait_timeouts", "bandwatch_runs_in_progress");
    }

    @Test
    void errorsAreProblemDetails() {
        given().when().get("/api/v1/runs?device=" + UUID.randomUUID()).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401))
                .body("type", startsWith("https://bandwatch.dev/problems/"));
        given().auth().oauth2("not-a-jwt").when().get("/api/v1/iperf3-servers/status").then().statusCode(401)
                .contentType("application/problem+json");
        String user = TestJwt.user("u", Map.of(UUID.randomUUID(), "viewer"));
        given().auth().oauth2(user).when().get("/api/v1/runs?device=nope").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("device"));
        given().auth().oauth2(user).when().get("/api/v1/runs?device=" + UUID.randomUUID() + "&limit=0").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(user).when().get("/api/v1/checks/" + UUID.randomUUID() + "/schedule").then()
                .statusCode(404).contentType("application/problem+json");
    }
}
