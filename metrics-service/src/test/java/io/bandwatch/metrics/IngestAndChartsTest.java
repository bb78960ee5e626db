package io.bandwatch.metrics;

import static io.bandwatch.metrics.support.Fixtures.count;
import static io.bandwatch.metrics.support.Fixtures.publish;
import static io.bandwatch.metrics.support.Fixtures.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results produced to the real check.results become points in the real InfluxDB and come back through the charts
 * API with the right values, units and organization scoping.
 */
@QuarkusTest
class IngestAndChartsTest {

    UUID org;
    UUID device;
    UUID iperfCheck;
    UUID pingCheck;
    String viewer;
    Instant base;

    @BeforeEach
    void setUp() {
        org = UUID.randomUUID();
        device = UUID.randomUUID();
        iperfCheck = UUID.randomUUID();
        pingCheck = UUID.randomUUID();
        viewer = TestJwt.user("viewer-" + org, Map.of(org, "viewer"));
        base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
    }

    @Test
    void resultsBecomePointsOnceAndChartsWithUnits() {
        publish(Fixtures.device(device, org, "Rome router"));
        CheckResult ok = Fixtures.iperf3(org, device, iperfCheck, base, 9_870_000, 9_500_000, 1_200_000_000L);
        CheckResult failed = Fixtures.iperf3Failed(org, device, iperfCheck, base.plus(Duration.ofHours(1)));
        CheckResult up = Fixtures.ping(org, device, pingCheck, base, PingMetrics.reachable(20, 1.0, 2.0, 4.0));
        CheckResult down = Fixtures.ping(org, device, pingCheck, base.plus(Duration.ofHours(2)), PingMetrics.unreachable());
        publish(ok, failed, up, down, ok);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("iperf3", "iperf3_result", device)).isEqualTo(2);
            assertThat(count("ping", "reachable", device)).isEqualTo(2);
        });
        // the duplicate did not double: one point per result, at finished_at, with the tags
        var iperfRows = rows("SELECT \"iperf3_result\", \"sent_bps_tcp\", \"organization\", \"check\", \"server\" FROM "
                + "\"raw\".\"iperf3\" WHERE \"device\" = '" + device + "'");
        assertThat(iperfRows).hasSize(2);
        assertThat(iperfRows.get(0).get(0).asLong()).isEqualTo(ok.finishedAt().toEpochMilli());
        assertThat(iperfRows.get(0).get(1).asDouble()).isEqualTo(1.0);
        assertThat(iperfRows.get(0).get(2).asDouble()).isEqualTo(9_870_000.0);
        assertThat(iperfRows.get(0).get(3).asText()).isEqualTo(org.toString());
        assertThat(iperfRows.get(0).get(4).asText()).isEqualTo(iperfCheck.toString());
        assertThat(iperfRows.get(0).get(5).asText()).isEqualTo(ok.server().id().toString());
        assertThat(iperfRows.get(1).get(1).asDouble()).as("failed run stored with iperf3_result 0").isEqualTo(0.0);

        JsonPath charts = awaitCharts(viewer, "time=1d&tz=Europe/Rome");
        assertThat(charts.getString("device_name")).isEqualTo("Rome router");
        assertThat(charts.getString("interval")).isEqualTo("10m");
        assertThat(charts.getList("charts.id", String.class)).containsExactly("bandwidth", "transfer", "retransmits",
                "jitter", "datagram", "datagram_loss", "iperf3_result", "uptime", "packet_loss", "rtt");
        assertThat(charts.getList("charts.x[0]", String.class)).hasSizeBetween(144, 145);
        assertThat(charts.getList("charts.x[0]", String.class).get(0)).matches(".*\\+0[12]:00$");

        Map<String, Object> bandwidth = chart(charts, "bandwidth");
        assertThat(bandwidth).containsEntry("unit", "bps").containsEntry("adaptive_prefix", true)
                .containsEntry("connect_points", true).containsEntry("title", "Bandwidth");
        assertThat(values(bandwidth, 0)).containsExactly(9_870_000.0);
        assertThat(values(bandwidth, 1)).containsExactly(9_500_000.0);
        assertThat(traceNames(bandwidth)).containsExactly("TCP sent", "TCP received", "UDP sent");
        assertThat(summary(bandwidth, 0)).containsEntry("min", 9_870_000.0).containsEntry("max", 9_870_000.0)
                .containsEntry("mean", 9_870_000.0);

        Map<String, Object> transfer = chart(charts, "transfer");
        assertThat(transfer).containsEntry("unit", "B").containsEntry("adaptive_prefix", true)
                .containsEntry("aggregation", "sum");
        assertThat(values(transfer, 0)).containsExactly(1.2e9);

        assertThat(chart(charts, "jitter")).containsEntry("unit", "ms").containsEntry("adaptive_prefix", false);
        assertThat(values(chart(charts, "jitter"), 0)).containsExactly(0.25);
        assertThat(values(chart(charts, "datagram"), 0)).containsExactly(2.0);
        assertThat(values(chart(charts, "datagram"), 1)).containsExactly(100.0);
        assertThat(values(chart(charts, "datagram_loss"), 0)).containsExactly(2.0);
        assertThat(values(chart(charts, "retransmits"), 0)).containsExactly(3.0);
        // the failed run has no bandwidth but shows as a 0 % point of the run results
        Map<String, Object> result = chart(charts, "iperf3_result");
        assertThat(result).containsEntry("unit", "%").containsEntry("title", "Successful runs");
        assertThat(values(result, 0)).containsExactly(100.0, 0.0);

        Map<String, Object> uptime = chart(charts, "uptime");
        assertThat(uptime).containsEntry("unit", "%");
        assertThat(values(uptime, 0)).containsExactly(100.0, 0.0);
        assertThat(values(chart(charts, "packet_loss"), 0)).containsExactly(20.0, 100.0);
        assertThat(values(chart(charts, "rtt"), 1)).containsExactly(2.0);
        assertThat(summary(uptime, 0)).containsEntry("min", 0.0).containsEntry("mean", 50.0)
                .containsEntry("max", 100.0);

        // the same data for a superuser; a 7d range groups by the hour
        // with where its time went: the InfluxDB round trip (one call, one statement per check type plus the check
        // tags), the parse of its answer, the charts built
        JsonPath week = given().auth().oauth2(TestJwt.superuser("root")).when()
                .get("/api/v1/devices/{id}/charts?time=7d", device).then().statusCode(200)
                .header("Server-Timing", matchesPattern("influx;dur=[0-9.]+;desc=\"3 statements, [1-9][0-9]* bytes\","
                        + " parse;dur=[0-9.]+, charts;dur=[0-9.]+"))
                .extract().jsonPath();
        assertThat(week.getString("interval")).isEqualTo("1h");
        assertThat(week.getList("charts.x[0]", String.class)).hasSizeBetween(168, 169);

        // CSV of one chart
        String csv = given().auth().oauth2(viewer).when()
                .get("/api/v1/devices/{id}/charts/bandwidth.csv?time=1d&tz=UTC", device)
                .then().statusCode(200).header("Content-Disposition", containsString(".csv"))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("time,sent_bps_tcp (bps),received_bps_tcp (bps),sent_bps_udp (bps)");
        assertThat(lines).anyMatch(l -> l.endsWith("Z,9870000,9500000,1000000"));
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("[^,]+(,(-?[0-9]+(\\.[0-9]+)?)?){3}"),
                "plain decimals, no scientific notation");
    }

    @Test
    void rangesBeyondTheRawRetentionReadTheRollups() {
        publish(Fixtures.device(device, org, "Old router"));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long older = hour.minus(Duration.ofDays(200)).toEpochMilli();
        long old = hour.minus(Duration.ofDays(100)).toEpochMilli();
        long recent = hour.minus(Duration.ofHours(3)).toEpochMilli();
        String iperfTags = "iperf3,check=" + iperfCheck + ",device=" + device + ",organization=" + org + ",server="
                + UUID.randomUUID();
        String pingTags = "ping,check=" + pingCheck + ",device=" + device + ",organization=" + org;
        // hourly means as the continuous queries write them (mean_<field>), older than the raw retention
        Fixtures.writeLines("hourly", String.join("\n",
                iperfTags + " mean_iperf3_result=1,mean_sent_bps_tcp=7000000,mean_received_bps_tcp=6000000,"
                        + "mean_sent_bytes_tcp=875000000 " + older,
                iperfTags + " mean_iperf3_result=1,mean_sent_bps_tcp=5000000,mean_received_bps_tcp=4000000,"
                        + "mean_sent_bytes_tcp=625000000 " + old,
                pingTags + " mean_reachable=0.5,mean_loss=12.5,mean_rtt_avg=8 " + old,
                pingTags + " mean_reachable=0.25,mean_loss=40,mean_rtt_avg=9 " + recent));
        // the daily rollups the continuous queries make of them (365d reads days): mean and sum of the hourly means
        long olderDay = older / 86_400_000L * 86_400_000L;
        long oldDay = old / 86_400_000L * 86_400_000L;
        long recentDay = recent / 86_400_000L * 86_400_000L;
        Fixtures.writeLines("daily", String.join("\n",
                iperfTags + " mean_mean_iperf3_result=1,mean_mean_sent_bps_tcp=7000000,mean_mean_received_bps_tcp=6000000,"
                        + "sum_mean_sent_bytes_tcp=875000000 " + olderDay,
                iperfTags + " mean_mean_iperf3_result=1,mean_mean_sent_bps_tcp=5000000,mean_mean_received_bps_tcp=4000000,"
                        + "sum_mean_sent_bytes_tcp=625000000 " + oldDay,
                pingTags + " mean_mean_reachable=0.5,mean_mean_loss=12.5,mean_mean_rtt_avg=8 " + oldDay,
                pingTags + " mean_mean_reachable=0.25,mean_mean_loss=40,mean_mean_rtt_avg=9 " + recentDay));
        // a raw point in the same recent hour, with other values: short ranges must show these
        Fixtures.writeLines("raw", pingTags + " reachable=1,loss=0,rtt_min=1,rtt_avg=2,rtt_max=3 " + recent);

        JsonPath year = awaitCharts(viewer, "time=365d&tz=UTC");
        assertThat(year.getString("interval")).isEqualTo("1d");
        assertThat(year.getList("charts.id", String.class)).containsExactly("bandwidth", "transfer", "retransmits",
                "jitter", "datagram", "datagram_loss", "iperf3_result", "uptime", "packet_loss", "rtt");
        Map<String, Object> bandwidth = chart(year, "bandwidth");
        assertThat(values(bandwidth, 0)).containsExactly(7_000_000.0, 5_000_000.0);
        assertThat(values(bandwidth, 1)).containsExactly(6_000_000.0, 4_000_000.0);
        assertThat(summary(bandwidth, 0)).containsEntry("min", 5_000_000.0).containsEntry("max", 7_000_000.0)
                .containsEntry("mean", 6_000_000.0).containsEntry("points", 2.0);
        assertThat(values(chart(year, "transfer"), 0)).containsExactly(875_000_000.0, 625_000_000.0);
        // the intervals inside the raw retention come from the raw points, not from the hourly means
        assertThat(values(chart(year, "uptime"), 0)).containsExactly(50.0, 100.0);
        assertThat(values(chart(year, "packet_loss"), 0)).containsExactly(12.5, 0.0);
        assertThat(values(chart(year, "rtt"), 1)).containsExactly(8.0, 2.0);
        assertThat(year.getList("charts.x[0]", String.class)).hasSizeBetween(365, 366);

        // a custom range starting before the raw retention reads them too
        JsonPath custom = given().auth().oauth2(viewer)
                .queryParam("start", Instant.ofEpochMilli(old).minus(Duration.ofDays(1)).toString())
                .queryParam("end", Instant.ofEpochMilli(old).plus(Duration.ofDays(1)).toString())
                .when().get("/api/v1/devices/{id}/charts", device)
                .then().statusCode(200).extract().jsonPath();
        assertThat(values(chart(custom, "bandwidth"), 0)).containsExactly(5_000_000.0);

        // ranges inside the raw retention still read raw points
        JsonPath day = awaitCharts(viewer, "time=1d&tz=UTC");
        assertThat(day.getString("interval")).isEqualTo("10m");
        assertThat(values(chart(day, "uptime"), 0)).containsExactly(100.0);
        assertThat(values(chart(day, "packet_loss"), 0)).containsExactly(0.0);
        assertThat(values(chart(day, "rtt"), 1)).containsExactly(2.0);
        JsonPath month = awaitCharts(viewer, "time=30d&tz=UTC");
        assertThat(values(chart(month, "uptime"), 0)).containsExactly(100.0);
    }

    @Test
    void anotherOrganizationsDeviceIsNotFoundAndErrorsAreProblems() {
        publish(Fixtures.device(device, org, "private router"),
                Fixtures.iperf3(org, device, iperfCheck, base, 1e6, 1e6, 1000));
        awaitCharts(viewer, "time=1d");

        String stranger = TestJwt.user("stranger", Map.of(UUID.randomUUID(), "owner"));
        given().auth().oauth2(stranger).when().get("/api/v1/devices/{id}/charts", device)
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("type", equalTo("https://bandwatch.dev/problems/not-found"));
        given().auth().oauth2(stranger).when().get("/api/v1/devices/{id}/charts/bandwidth.csv", device)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(viewer).when().get("/api/v1/devices/{id}/charts", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/devices/{id}/charts", device)
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        given().auth().oauth2(viewer).when().get("/api/v1/devices/{id}/charts?tz=Mars/Olympus", device)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("tz"));
        given().auth().oauth2(viewer).when().get("/api/v1/devices/{id}/charts?time=2w", device)
                .then().statusCode(400).body("errors[0].field", equalTo("time"));
        given().auth().oauth2(viewer).when().get("/api/v1/devices/{id}/charts/nope.csv", device)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDeletedDeviceIsNotFound() throws Exception {
        publish(Fixtures.device(device, org, "doomed router"),
                Fixtures.iperf3(org, device, iperfCheck, base, 1e6, 1e6, 1000));
        awaitCharts(viewer, "time=1d");
        Fixtures.raw().send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                io.bandwatch.events.Topics.INVENTORY_DEVICES, device.toString(), null)).get();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer).when()
                .get("/api/v1/devices/{id}/charts", device).then().statusCode(404));
        // a late result of the deleted device does not bring it back
        publish(Fixtures.iperf3(org, device, iperfCheck, base.plusSeconds(60), 1e6, 1e6, 1000));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("iperf3", "iperf3_result", device) == 2);
        given().auth().oauth2(viewer).when().get("/api/v1/devices/{id}/charts", device).then().statusCode(404);
    }

    private JsonPath awaitCharts(String token, String query) {
        JsonPath[] holder = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            holder[0] = given().auth().oauth2(token).when().get("/api/v1/devices/{id}/charts?" + query, device)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(holder[0].getList("charts")).isNotEmpty();
        });
        return holder[0];
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> chart(JsonPath charts, String id) {
        List<Map<String, Object>> list = charts.getList("charts");
        return list.stream().filter(c -> id.equals(c.get("id"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static List<Double> values(Map<String, Object> chart, int trace) {
        List<Map<String, Object>> traces = (List<Map<String, Object>>) chart.get("traces");
        List<Object> values = (List<Object>) traces.get(trace).get("values");
        return values.stream().filter(v -> v != null).map(v -> ((Number) v).doubleValue()).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> traceNames(Map<String, Object> chart) {
        return ((List<Map<String, Object>>) chart.get("traces")).stream().map(t -> (String) t.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> summary(Map<String, Object> chart, int trace) {
        List<Map<String, Object>> traces = (List<Map<String, Object>>) chart.get("traces");
        Map<String, Object> summary = (Map<String, Object>) traces.get(trace).get("summary");
        Map<String, Object> doubles = new java.util.HashMap<>();
        summary.forEach((k, v) -> doubles.put(k, v instanceof Number n ? n.doubleValue() : v));
        return doubles;
    }
}
