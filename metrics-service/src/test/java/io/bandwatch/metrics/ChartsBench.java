package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.ServerUsed;
import io.bandwatch.metrics.service.DeviceDirectory;
import io.bandwatch.metrics.service.Measurements;
import io.bandwatch.metrics.service.PointMapper;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl metrics-service -Pbench verify -Dtest=ChartsBench}.
 * Fills a database of its own ({@code bandwatch_bench}, dropped before the service starts and at the end) with a
 * year of one device among 10 000: that device has an iperf3 and a ping result every hour for 365 days (hourly
 * means in the {@code hourly} policy, as the continuous queries leave them, and the raw points of the last 29
 * days in {@code raw}); each of the 9 999 others has a point of each type every 28 days in {@code hourly} and one
 * in {@code raw}, so that every device's series exist (about 20 000 series, 100 organizations, 3 servers). Then it
 * times {@code GET /api/v1/devices/{id}/charts?time=365d} through the running service (HTTP, viewer JWT, one
 * multi-statement InfluxQL query: the device's check tags, the daily rollup's rows, the raw points of the last two days) {@code bench.charts.requests} times (default 50) after
 * {@code bench.charts.warmup} warm-up requests of the same kind (default 100: with 5, the first timed requests still
 * ran code the JIT had not compiled yet), and prints p50/p95, where the time went (the service's
 * {@code Server-Timing} phases; the rest is HTTP, JWT, JSON writing and reading, and waiting for a core) and the GC
 * and JIT work during each run.
 */
@QuarkusTest
@TestProfile(ChartsBench.Profile.class)
class ChartsBench {

    static final String DATABASE = "bandwatch_bench";
    /** The figure of the issue is 10 000 devices and 365 days; `bandwatch test` runs the bench with a few of each. */
    static final int DEVICES = Integer.getInteger("bench.charts.devices", 10_000);
    static final int DAYS = Integer.getInteger("bench.charts.days", 365);
    static final int WARM_UP = Integer.getInteger("bench.charts.warmup", 100);
    static final int BATCH = 5_000;
    static final int RUNS = 3;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bandwatch.influx.database", DATABASE,
                    // ingest stays idle: a group of its own from the end of check.results, nothing is written here
                    "mp.messaging.incoming.\"check.results\".group.id", "metrics-service-bench-" + UUID.randomUUID(),
                    "mp.messaging.incoming.\"check.results\".auto.offset.reset", "latest");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class));
        }
    }

    /** Drops what an interrupted run may have left, before the service creates the database and its policies. */
    public static class FreshDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Fixtures.influxQl("DROP DATABASE \"" + DATABASE + "\"");
            return Map.of();
        }

        @Override
        public void stop() {
            // -Dbench.charts.keep=true leaves the data for measuring hop by hop (curl, EXPLAIN ANALYZE) afterwards
            if (!Boolean.getBoolean("bench.charts.keep")) {
                Fixtures.influxQl("DROP DATABASE \"" + DATABASE + "\"");
            }
        }
    }

    @Inject
    DeviceDirectory directory;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    @Test
    void chartsOfAYearOfOneDeviceAmongTenThousand() throws Exception {
        int requests = Integer.getInteger("bench.charts.requests", 50);
        int small = Math.max(2, DEVICES / 10);
        Instant now = Instant.now();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant rawFrom = now.minus(Duration.ofDays(29));
        Random random = new Random(42);
        UUID[] orgs = new UUID[100];
        Arrays.setAll(orgs, i -> UUID.randomUUID());
        UUID[] servers = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        UUID device = UUID.randomUUID();
        UUID org = orgs[0];
        directory.apply(Fixtures.device(device, org, "bench router"));
        System.out.println("charts bench: device " + device + " of organization " + org);
        String viewer = TestJwt.user("bench-viewer", Map.of(org, "viewer"));

        StringBuilder human = new StringBuilder();
        List<String> lines = new ArrayList<>();
        try (InfluxDBClient client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder()
                .url("http://127.0.0.1:8086").org("bandwatch").bucket(DATABASE + "/raw")
                .okHttpClient(new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60))).build())) {
            WriteApiBlocking write = client.getWriteApiBlocking();
            Batches hourly = new Batches(write, DATABASE + "/hourly");
            Batches daily = new Batches(write, DATABASE + "/daily");
            Batches raw = new Batches(write, DATABASE + "/raw");
            long loadStart = System.nanoTime();
            // the device charted: an iperf3 and a ping result every hour of the year; the daily rollups of them
            UUID iperf3Check = UUID.randomUUID();
            UUID pingCheck = UUID.randomUUID();
            Map<String, double[]> days = new java.util.LinkedHashMap<>();
            for (int h = DAYS * 24; h >= 1; h--) {
                Instant start = hour.minus(Duration.ofHours(h));
                Instant finished = start.plus(Duration.ofMinutes(5));
                CheckResult iperf3 = iperf3(org, device, iperf3Check, servers[h % 3], finished, random);
                CheckResult ping = ping(org, device, pingCheck, finished, random);
                hourly.add(rollup(iperf3, start, "mean_"));
                hourly.add(rollup(ping, start, "mean_"));
                Instant day = start.truncatedTo(ChronoUnit.DAYS);
                for (CheckResult r : List.of(iperf3, ping)) {
                    dayOf(days, r, day);
                }
                if (finished.isAfter(rawFrom)) {
                    raw.add(PointMapper.line(iperf3));
                    raw.add(PointMapper.line(ping));
                }
            }
            days.forEach((key, unused) -> daily.add(dailyLine(key, days)));
            long points = 0;
            int loaded = 1;
            for (int size : new int[] {small, DEVICES}) {
                // the other devices up to this size: a point of each type every 28 days, and one raw point each
                for (; loaded < size; loaded++) {
                    UUID other = UUID.randomUUID();
                    UUID otherOrg = orgs[loaded % orgs.length];
                    UUID otherIperf3 = UUID.randomUUID();
                    UUID otherPing = UUID.randomUUID();
                    int offset = random.nextInt(28 * 24);
                    for (int h = DAYS * 24 - offset; h >= 1; h -= 28 * 24) {
                        Instant start = hour.minus(Duration.ofHours(h));
                        Instant finished = start.plus(Duration.ofMinutes(5));
                        for (CheckResult r : List.of(
                                iperf3(otherOrg, other, otherIperf3, servers[loaded % 3], finished, random),
                                ping(otherOrg, other, otherPing, finished, random))) {
                            hourly.add(rollup(r, start, "mean_"));
                            // a day with one hourly mean: its mean and its sum are that mean
                            daily.add(rollup(r, start.truncatedTo(ChronoUnit.DAYS), "mean_mean_", "sum_mean_"));
                        }
                    }
                    Instant recent = now.minus(Duration.ofMinutes(1 + random.nextInt(28 * 24 * 60)));
                    raw.add(PointMapper.line(iperf3(otherOrg, other, otherIperf3, servers[loaded % 3], recent, random)));
                    raw.add(PointMapper.line(ping(otherOrg, other, otherPing, recent, random)));
                }
                hourly.flush();
                daily.flush();
                raw.flush();
                points = hourly.written + daily.written + raw.written;
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                long series = cardinality();
                assertThat(series).as("series in %s", DATABASE).isGreaterThanOrEqualTo(2L * size);
                human.append(String.format(Locale.ROOT, "  %d devices: %d points, %d series (loaded in %.1f s so far)%n",
                        size, points, series, loadSeconds));

                for (int i = 0; i < WARM_UP; i++) {
                    JsonPath charts = JsonPath.from(get(viewer, device).body());
                    if (i == 0) {
                        assertThat(charts.getString("interval")).isEqualTo("1d");
                        assertThat(charts.getList("charts.id", String.class)).containsExactly("bandwidth", "transfer",
                                "retransmits", "jitter", "datagram", "datagram_loss", "iperf3_result", "uptime",
                                "packet_loss", "rtt");
                        // a value in (nearly) every daily interval of the loaded days, for iperf3 and ping
                        assertThat(charts.getInt("charts[0].traces[0].summary.points")).isGreaterThanOrEqualTo(DAYS - 1);
                        assertThat(charts.getInt("charts.find { it.id == 'uptime' }.traces[0].summary.points"))
                                .isGreaterThanOrEqualTo(DAYS - 1);
                    }
                }
                double rssMax = 0;
                for (int run = 1; run <= RUNS; run++) {
                    AtomicLong rssKb = new AtomicLong(IngestBench.vmRssKb());
                    long[] micros = new long[requests];
                    Phases phases = new Phases(requests);
                    for (int i = 0; i < requests; i++) {
                        long gcs = phases.collections();
                        long t = System.nanoTime();
                        HttpResponse<String> response = get(viewer, device);
                        micros[i] = (System.nanoTime() - t) / 1_000;
                        phases.add(i, micros[i], response, gcs);
                        if (i % 10 == 0) {
                            rssKb.accumulateAndGet(IngestBench.vmRssKb(), Math::max);
                        }
                    }
                    rssMax = Math.max(rssMax, rssKb.get() / 1024.0);
                    Arrays.sort(micros);
                    double p50 = percentile(micros, 50);
                    double p95 = percentile(micros, 95);
                    human.append(String.format(Locale.ROOT,
                            "  n=%d run=%d: %d requests after %d warm-up: p50 %.1f ms, p95 %.1f ms, min %.1f, max %.1f%n",
                            size, run, requests, WARM_UP, p50, p95, micros[0] / 1000.0,
                            micros[micros.length - 1] / 1000.0));
                    human.append(phases.report());
                    lines.add(IngestBench.line("charts.p95_ms", p95, "ms", size, run));
                    lines.add(IngestBench.line("charts.p50_ms", p50, "ms", size, run));
                }
                lines.add(IngestBench.line("charts.rss_under_load_mb", rssMax, "MB", size, null));
            }
        }
        lines.add(IngestBench.line("charts.devices", DEVICES, "devices", null, null));
        String report = String.format(Locale.ROOT, """
                charts bench: GET /api/v1/devices/{id}/charts?time=365d (viewer JWT, HTTP through the service, 1 d steps:
                  daily rollups as rows, raw points of the last two days) for one device among n in database %s;
                  the device has an iperf3 and a ping result every hour for %d days (hourly means and their daily
                  rollups; raw points for the last 29 days); each other device a point of each type every 28 days
                  and one raw point; %d cores
                """, DATABASE, DAYS, Runtime.getRuntime().availableProcessors()) + human
                + String.join("\n", lines) + "\n";
        System.out.print(report);
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/charts.txt"), report);
    }

    /**
     * One chart request with the JDK's HTTP client (a plain client: what is timed is the service, not a test
     * library's response handling); the body, after checking the status.
     */
    private HttpResponse<String> get(String token, UUID device) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(base + "api/v1/devices/" + device + "/charts?time=365d"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /**
     * Where a run's time went: per request the service's {@code Server-Timing} phases (InfluxDB round trip, parse of
     * its answer, charts built) and the rest of the client's time (HTTP both ways, JWT, the answer written and read,
     * waiting for a core); whether a GC ran during the request; the JIT's compile time over the run.
     */
    private static final class Phases {
        static final Pattern PHASE = Pattern.compile("(\\w+);dur=([0-9.]+)");
        final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final long jitStart = jit.getTotalCompilationTime();
        final long gcTimeStart = gcTime();
        final double[] influx;
        final double[] parse;
        final double[] build;
        final double[] rest;
        final List<Double> withGc = new ArrayList<>();

        Phases(int n) {
            influx = new double[n];
            parse = new double[n];
            build = new double[n];
            rest = new double[n];
        }

        long collections() {
            return gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }

        long gcTime() {
            return gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        }

        void add(int i, long micros, HttpResponse<String> response, long collectionsBefore) {
            Matcher m = PHASE.matcher(response.headers().firstValue("Server-Timing").orElseThrow());
            while (m.find()) {
                double ms = Double.parseDouble(m.group(2));
                switch (m.group(1)) {
                    case "influx" -> influx[i] = ms;
                    case "parse" -> parse[i] = ms;
                    case "charts" -> build[i] = ms;
                    default -> throw new IllegalStateException("unknown phase " + m.group(1));
                }
            }
            rest[i] = micros / 1000.0 - influx[i] - parse[i] - build[i];
            if (collections() != collectionsBefore) {
                withGc.add(micros / 1000.0);
            }
        }

        String report() {
            return String.format(Locale.ROOT, "    phases p50 / p95, ms: InfluxDB round trip %s, its answer parsed %s,"
                    + " charts built %s, rest (HTTP, JWT, answer written and read, waiting) %s;%n"
                    + "    %d requests saw a GC (%s ms), GC %d ms and JIT %d ms in the run%n",
                    of(influx), of(parse), of(build), of(rest), withGc.size(), withGc, gcTime() - gcTimeStart,
                    jit.getTotalCompilationTime() - jitStart);
        }

        private static String of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            long[] micros = Arrays.stream(sorted).mapToLong(v -> Math.round(v * 1000)).toArray();
            return String.format(Locale.ROOT, "%.1f / %.1f", percentile(micros, 50), percentile(micros, 95));
        }
    }

    private static CheckResult iperf3(UUID org, UUID device, UUID check, UUID server, Instant finished, Random r) {
        double tcp = 5e6 + r.nextDouble() * 90e6;
        long bytes = (long) (tcp * 10 / 8);
        Iperf3Metrics m = new Iperf3Metrics(1, tcp, tcp * 0.98, bytes, (long) (bytes * 0.98), (long) r.nextInt(20),
                1.0e6, 1_250_000L, r.nextDouble(), 860L, (long) r.nextInt(5), r.nextDouble());
        return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, finished.minusSeconds(25),
                finished, new ServerUsed(server, "198.18.1.1", 5201, 1), ResultStatus.OK, null, m, null, "bench");
    }

    private static CheckResult ping(UUID org, UUID device, UUID check, Instant finished, Random r) {
        double avg = 2 + r.nextDouble() * 30;
        return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.PING, finished.minusSeconds(2),
                finished, null, ResultStatus.OK, null, null,
                PingMetrics.reachable(r.nextInt(10) == 0 ? 20 : 0, avg * 0.8, avg, avg * 1.5), "bench");
    }

    /**
     * The line a continuous query writes for an interval (at {@code intervalStart}) holding only this result: each
     * field under each of the prefixes ({@code mean_} for the hourly means, {@code mean_mean_} and {@code sum_mean_}
     * for a day with one hourly mean), tags kept.
     */
    private static String rollup(CheckResult result, Instant intervalStart, String... prefixes) {
        StringBuilder fields = new StringBuilder();
        result.metrics().orElseThrow().fields().forEach((k, v) -> {
            for (String prefix : prefixes) {
                fields.append(fields.isEmpty() ? "" : ",").append(prefix).append(k).append('=').append(v);
            }
        });
        return tags(result) + " " + fields + " " + intervalStart.toEpochMilli() * 1_000_000L;
    }

    private static String tags(CheckResult result) {
        return Measurements.of(result.type()) + "," + Measurements.TAG_CHECK + "=" + result.checkId() + ","
                + Measurements.TAG_DEVICE + "=" + result.deviceId() + "," + Measurements.TAG_ORGANIZATION + "="
                + result.organizationId() + (result.server() == null ? "" : "," + Measurements.TAG_SERVER + "="
                        + result.server().id());
    }

    /** Adds a result to the hourly means of its day (key: series and day; values: per field sum, then the count). */
    private static void dayOf(Map<String, double[]> days, CheckResult result, Instant day) {
        Map<String, Double> fields = result.metrics().orElseThrow().fields();
        String key = tags(result) + "|" + day.toEpochMilli() + "|" + String.join(",", fields.keySet());
        double[] sums = days.computeIfAbsent(key, k -> new double[fields.size() + 1]);
        int i = 0;
        for (double v : fields.values()) {
            sums[i++] += v;
        }
        sums[i]++;
    }

    /** The daily rollup of one series and day: mean and sum of its hourly means (one result an hour). */
    private static String dailyLine(String key, Map<String, double[]> days) {
        String[] parts = key.split("\\|");
        String[] names = parts[2].split(",");
        double[] sums = days.get(key);
        double count = sums[names.length];
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            fields.append(i == 0 ? "" : ",").append("mean_mean_").append(names[i]).append('=').append(sums[i] / count)
                    .append(",sum_mean_").append(names[i]).append('=').append(sums[i]);
        }
        return parts[0] + " " + fields + " " + Long.parseLong(parts[1]) * 1_000_000L;
    }

    private static long cardinality() {
        long total = 0;
        var result = Fixtures.influxQl("SHOW SERIES EXACT CARDINALITY ON \"" + DATABASE + "\"");
        for (var s : result.path("results").path(0).path("series")) {
            total += s.path("values").path(0).path(0).asLong();
        }
        return total;
    }

    private static double percentile(long[] sortedMicros, double p) {
        int index = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, index))] / 1000.0;
    }

    /** {@code BENCH <key> <value> <unit>}, value with '.' decimals. */
    private static String line(String key, double value, String unit) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
        return "BENCH " + key + " " + number + " " + unit;
    }

    /** Blocking batched writes into one bucket (database/retention policy). */
    private static final class Batches {
        final WriteApiBlocking write;
        final String bucket;
        final List<String> pending = new ArrayList<>(BATCH);
        long written;

        Batches(WriteApiBlocking write, String bucket) {
            this.write = write;
            this.bucket = bucket;
        }

        void add(String line) {
            pending.add(line);
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            if (!pending.isEmpty()) {
                write.writeRecords(bucket, "bandwatch", WritePrecision.NS, pending);
                written += pending.size();
                pending.clear();
            }
        }
    }
}
