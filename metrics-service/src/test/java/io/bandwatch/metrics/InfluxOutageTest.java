package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.Topics;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.metrics.support.KafkaGroups;
import io.bandwatch.metrics.support.PrivateInflux;
import io.bandwatch.metrics.support.PrivateInfluxProfile;
import io.bandwatch.metrics.support.PrivateInfluxResource;
import io.bandwatch.testing.ManagementPort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A real InfluxDB outage: the service writes to a private influxd (behind its own nginx, see
 * {@link PrivateInfluxResource}); the test stops that influxd for 30 s (SIGTERM, waits for the exit), keeps
 * publishing results meanwhile, starts it again on the same data folder, and checks that every result is a point
 * exactly once, that readiness said DOWN during the outage, that nothing published during the outage was committed
 * before InfluxDB had it, and that the consumer caught up to the end of the partition.
 */
@QuarkusTest
@TestProfile(PrivateInfluxProfile.class)
class InfluxOutageTest {

    /** The management interface (health, metrics), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int BEFORE = 20;
    private static final int DURING_BATCHES = 4;
    private static final int PER_BATCH = 10;

    @Test
    void influxdStoppedFor30SecondsAndStartedAgainLosesNothing() throws Exception {
        PrivateInflux influx = PrivateInfluxResource.influx();
        String group = PrivateInfluxResource.group();
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        UUID check = UUID.randomUUID();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < BEFORE + DURING_BATCHES * PER_BATCH; i++) {
            results.add(Fixtures.ping(org, device, check, base.plusSeconds(60L * i),
                    PingMetrics.reachable(0, 1.0, 1.0 + i, 3.0 + i)));
        }

        // 1. running: the first results are written
        publish(results.subList(0, BEFORE));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> points(influx, device).size() == BEFORE);
        assertReady(true);

        // 2. influxd stopped (SIGTERM, waited for); the service says not ready; results keep coming
        long stopAt = System.nanoTime();
        influx.stopInfluxd();
        long shutdownMs = ms(System.nanoTime() - stopAt);
        assertThat(influx.influxdRunning()).isFalse();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertReady(false));
        long notReadyAfterMs = ms(System.nanoTime() - stopAt);
        RecordMetadata last = null;
        for (int b = 0; b < DURING_BATCHES; b++) {
            int from = BEFORE + b * PER_BATCH;
            last = publish(results.subList(from, from + PER_BATCH));
            sleepUntil(stopAt + OUTAGE.toNanos() * (b + 1) / (DURING_BATCHES + 1));
        }
        sleepUntil(stopAt + OUTAGE.toNanos());
        TopicPartition partition = new TopicPartition(Topics.CHECK_RESULTS, last.partition());
        long end = last.offset() + 1;
        Long committedDuringOutage = KafkaGroups.committed(group).get(partition);
        assertThat(committedDuringOutage).as("the results of the outage are not committed before InfluxDB has them")
                .isNotNull().isLessThanOrEqualTo(end - DURING_BATCHES * PER_BATCH);
        assertReady(false);

        // 3. influxd started again on the same data folder: everything is written once, the consumer catches up
        long restartAt = System.nanoTime();
        influx.startInfluxd();
        long outageMs = ms(System.nanoTime() - stopAt);
        long influxStartMs = ms(System.nanoTime() - restartAt);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> points(influx, device).size() == results.size());
        long writtenAfterMs = ms(System.nanoTime() - restartAt);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> KafkaGroups.committed(group).getOrDefault(partition, -1L) >= end);
        long committedAfterMs = ms(System.nanoTime() - restartAt);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertReady(true));

        JsonNode rows = points(influx, device);
        List<Long> times = new ArrayList<>();
        List<Double> rtts = new ArrayList<>();
        rows.forEach(r -> {
            times.add(r.path(0).asLong());
            rtts.add(r.path(1).asDouble());
        });
        assertThat(times).as("one point per result, at its finish time, none twice")
                .containsExactlyElementsOf(results.stream().map(r -> r.finishedAt().toEpochMilli()).toList());
        assertThat(rtts).containsExactlyElementsOf(results.stream().map(r -> r.ping().rttAvg()).toList());

        System.out.printf("InfluxOutageTest: influxd SIGTERM to exit %d ms; readiness DOWN after %d ms; outage %.1f s "
                + "(%d results published during it); influxd start %d ms; all %d points written %d ms and offsets "
                + "committed to the end %d ms after the restart%n", shutdownMs, notReadyAfterMs, outageMs / 1000.0,
                DURING_BATCHES * PER_BATCH, influxStartMs, results.size(), writtenAfterMs, committedAfterMs);
    }

    /** Publishes in order (one key, so one partition) and returns the last record's position. */
    private static RecordMetadata publish(List<CheckResult> list) throws Exception {
        RecordMetadata last = null;
        for (CheckResult result : list) {
            last = Fixtures.events().send(new ProducerRecord<>(Topics.CHECK_RESULTS, result.deviceId().toString(),
                    result)).get(30, TimeUnit.SECONDS);
        }
        return last;
    }

    /** The device's points in the raw policy, read from the private influxd itself: [time ms, rtt_avg]. */
    private static JsonNode points(PrivateInflux influx, UUID device) {
        return Fixtures.rows(influx.rawUrl(), "SELECT \"rtt_avg\" FROM \"raw\".\"ping\" WHERE \"device\" = '" + device
                + "' ORDER BY time ASC");
    }

    private void assertReady(boolean ready) {
        JsonPath health = ManagementPort.given(management).when().get("/q/health/ready").then()
                .statusCode(ready ? 200 : 503).extract().jsonPath();
        assertThat(health.getString("checks.find { it.name == 'InfluxDB connection health check' }.status"))
                .isEqualTo(ready ? "UP" : "DOWN");
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
