package io.bandwatch.metrics;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.write.Point;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.metrics.service.PointMapper;
import io.bandwatch.metrics.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run (the name does not end in Test):
 * {@code mvn -B -pl metrics-service verify -Pbench -Dbench.n=200000}. Publishes N synthetic ping results to
 * check.results and times them until all N are points in InfluxDB (through the service: Kafka → batch → write →
 * commit), then writes the same N points straight to InfluxDB with the client's blocking write in batches of
 * {@code bench.batch} (default 5000), and prints both rates. Bench data is dropped at the end.
 */
@QuarkusTest
class IngestBench {

    @Test
    void throughput() throws Exception {
        int n = Integer.getInteger("bench.n", 20_000);
        int batch = Integer.getInteger("bench.batch", 5_000);
        int devices = Math.max(1, n / 200);
        UUID serviceOrg = UUID.randomUUID();
        UUID rawOrg = UUID.randomUUID();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
        List<UUID> deviceIds = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            deviceIds.add(UUID.randomUUID());
        }
        UUID check = UUID.randomUUID();
        List<CheckResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UUID device = deviceIds.get(i % devices);
            results.add(Fixtures.ping(serviceOrg, device, check, base.plusSeconds(i / devices * 60L),
                    PingMetrics.reachable(i % 10, 1.0, 2.0 + (i % 7), 12.0)));
        }

        // 1. through the service
        long t0 = System.nanoTime();
        Fixtures.publishAll(results);
        long published = System.nanoTime();
        long count = 0;
        while (count < n) {
            Thread.sleep(250);
            count = countOf(serviceOrg);
            if (System.nanoTime() - t0 > Duration.ofMinutes(20).toNanos()) {
                throw new AssertionError("only " + count + " of " + n + " points after 20 minutes");
            }
        }
        long serviceDone = System.nanoTime();

        // 2. the same points written straight to InfluxDB in batches
        List<Point> points = new ArrayList<>(n);
        for (CheckResult r : results) {
            points.add(PointMapper.toPoint(new CheckResult(r.eventId(), r.checkId(), r.deviceId(), rawOrg, r.type(),
                    r.startedAt(), r.finishedAt(), null, r.status(), null, null, r.ping(), r.runnerId())));
        }
        long rawStart;
        long rawDone;
        try (InfluxDBClient client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder()
                .url("http://127.0.0.1:8086").org("bandwatch").bucket(Fixtures.DATABASE + "/raw")
                .okHttpClient(new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30))).build())) {
            WriteApiBlocking write = client.getWriteApiBlocking();
            rawStart = System.nanoTime();
            for (int i = 0; i < n; i += batch) {
                write.writePoints(points.subList(i, Math.min(n, i + batch)));
            }
            rawDone = System.nanoTime();
        }
        long rawCount = countOf(rawOrg);

        String report = String.format(Locale.ROOT, """
                bench N=%d (ping results, %d devices)
                  through the service (publish to check.results -> all points in InfluxDB): %.1f s, %.0f points/s
                    (publishing alone: %.1f s, %.0f records/s)
                  raw batched write of the same points (WriteApiBlocking, batches of %d): %.1f s, %.0f points/s (%d points stored)
                """, n, devices, seconds(serviceDone - t0), n / seconds(serviceDone - t0),
                seconds(published - t0), n / seconds(published - t0), batch, seconds(rawDone - rawStart),
                n / seconds(rawDone - rawStart), rawCount);
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("bandwatch_metrics_")).collect(java.util.stream.Collectors.joining("\n    "));
        report = report + "  service batches (Prometheus):\n    " + metrics + "\n";
        System.out.println(report);
        // machine-readable figures for `deploy/local/bandwatch bench` (BENCH <key> <value> <unit>)
        System.out.printf(Locale.ROOT, "BENCH pipeline.results %d results%n", n);
        System.out.printf(Locale.ROOT, "BENCH pipeline.points_per_s %.0f points/s%n", n / seconds(serviceDone - t0));
        System.out.printf(Locale.ROOT, "BENCH pipeline.raw_points_per_s %.0f points/s%n", n / seconds(rawDone - rawStart));
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/ingest-" + n + ".txt"), report);

        Fixtures.influxQl("DROP SERIES FROM \"ping\" WHERE \"organization\" = '" + serviceOrg + "'");
        Fixtures.influxQl("DROP SERIES FROM \"ping\" WHERE \"organization\" = '" + rawOrg + "'");
    }

    private static long countOf(UUID org) {
        var rows = Fixtures.rows("SELECT count(\"reachable\") FROM \"raw\".\"ping\" WHERE \"organization\" = '" + org + "'");
        return rows.isEmpty() ? 0 : rows.path(0).path(1).asLong();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
