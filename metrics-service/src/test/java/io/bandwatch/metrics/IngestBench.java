package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.EventSerializer;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.metrics.support.KafkaGroups;
import io.bandwatch.testing.ManagementPort;
import io.bandwatch.testing.ProcessCpu;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The result pipeline bench (issue 14 items 1 and 7), not part of the normal test run:
 * {@code mvn -B -pl metrics-service -am -Pbench verify -Dtest=IngestBench -Dbench.n=200000}.
 *
 * <p>Like for like: the service consumes a topic of its own ({@code bench.check.results.<uuid>}, 3 partitions as
 * {@code check.results}, deleted at the end, so no backlog is left for anything run later) with a consumer group of
 * its own, reading only committed records ({@code isolation.level=read_committed}, bench profile only). For each size
 * (N and 10 N) and each of 3 repetitions the bench first publishes the N results in one Kafka transaction (untimed;
 * the service cannot see any of them yet), then commits it and times from the commit, when all N become readable at
 * once, to the moment the service's counter of points acknowledged by InfluxDB has grown by N (the service's whole
 * path: fetch, JSON, line protocol, write, acknowledgement); then the reference writes the same N points (same measurement,
 * fields and times; another organization tag, so the series are its own) as line protocol built beforehand by the
 * client's {@code Point} (untimed), in batches of {@code bench.batch} (5000) with the client's blocking write to the
 * very endpoint the service writes to (nginx :8086 {@code /api/v2/write}, same database and retention policy),
 * timing only the writes: the raw write, what InfluxDB takes on this machine; once one write at a time (the issue's
 * reference, {@code .ref}) and once with {@link #WRITERS} writes in flight as the service may have ({@code .ref3}). The first size begins with a warm-up run of both sides that is not counted (a cold JVM's
 * run measured the JIT, not the pipeline). Both write into a database of their own
 * ({@code bandwatch_pipeline_bench}, dropped before and after). While the service consumes, the bench samples the
 * RSS of this JVM (the service runs in it) every 50 ms.
 *
 * <p>Prints {@code BENCH pipeline.points_per_s V points/s n=N run=I}, {@code pipeline.points_per_s.ref},
 * {@code pipeline.rss_under_load_mb} (per size) and {@code pipeline.results}.
 */
@QuarkusTest
@TestProfile(IngestBench.Profile.class)
class IngestBench {

    /** The management interface (health, metrics), on a port of its own. */
    @TestHTTPResource(management = true)
    URL management;

    static final String DATABASE = "bandwatch_pipeline_bench";
    // system properties: Quarkus loads this class once for the profile and once for the test, each static
    // initializer must find the same names
    static final String TOPIC = shared("bandwatch.bench.ingest.topic", "bench.check.results." + UUID.randomUUID());
    static final String GROUP = shared("bandwatch.bench.ingest.group", "metrics-service-bench-" + UUID.randomUUID());
    static final int PARTITIONS = 3;
    static final int RUNS = 3;
    /**
     * The stricter reference's writes in flight: as many as the service may have
     * ({@code smallrye.messaging.worker.check-results-writer.max-concurrency}), so that InfluxDB gets the same
     * parallelism from both sides (the issue's reference writes one batch at a time, which leaves InfluxDB a core
     * the service, with 3 writes in flight, can use). Both references are printed ({@code .ref} and {@code .ref3}).
     */
    static final int WRITERS = 3;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bandwatch.influx.database", DATABASE,
                    "mp.messaging.incoming.\"check.results\".topic", TOPIC,
                    "mp.messaging.incoming.\"check.results\".group.id", GROUP,
                    // the bench publishes each run in one Kafka transaction: nothing is readable before its commit
                    "mp.messaging.incoming.\"check.results\".isolation.level", "read_committed");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnTopicAndDatabase.class));
        }
    }

    /** The bench's topic exists before the service subscribes; topic, group and database are removed afterwards. */
    public static class OwnTopicAndDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Fixtures.influxQl("DROP DATABASE \"" + DATABASE + "\"");
            try (Admin admin = admin()) {
                // topics an interrupted run left behind
                List<String> stale = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith("bench.check.results.")).toList();
                if (!stale.isEmpty()) {
                    admin.deleteTopics(stale).all().get(30, TimeUnit.SECONDS);
                }
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create " + TOPIC, e);
            }
            return Map.of();
        }

        @Override
        public void stop() {
            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("IngestBench: could not delete " + TOPIC + ": " + e);
            }
            KafkaGroups.deleteQuietly(GROUP);
            Fixtures.influxQl("DROP DATABASE \"" + DATABASE + "\"");
        }

        private static Admin admin() {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Fixtures.BOOTSTRAP);
            return Admin.create(props);
        }
    }

    @Inject
    MeterRegistry registry;

    /** {@code bandwatch.metrics.points.written}, once found ({@link #written()}). */
    private Counter written;

    @Test
    void throughput() throws Exception {
        int n = Integer.getInteger("bench.n", 20_000);
        int batch = Integer.getInteger("bench.batch", 5_000);
        StringBuilder human = new StringBuilder();
        List<String> lines = new ArrayList<>();
        lines.add(line("pipeline.results", n, "results", null, null));
        try (KafkaProducer<String, CheckResult> producer = producer();
                InfluxDBClient client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder()
                        .url("http://127.0.0.1:8086").org("bandwatch").bucket(DATABASE + "/raw")
                        .okHttpClient(new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60))).build())) {
            WriteApiBlocking reference = client.getWriteApiBlocking();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int size : new int[] {n, 10 * n}) {
                Data data = new Data(size);
                double rssMax = 0;
                // the first size starts with a warm-up run of both sides, not counted: without it run 1 measured a
                // cold JVM (JIT compiling the service's and the client's paths) and run 2 was still warming
                for (int run = size == n ? 0 : 1; run <= RUNS; run++) {
                    // 1. publish all N first (not timed) in one transaction: the service (read_committed) sees none yet
                    long p0 = System.nanoTime();
                    producer.beginTransaction();
                    for (int i = 0; i < size; i++) {
                        CheckResult r = data.result(i, data.serviceOrg);
                        producer.send(new ProducerRecord<>(TOPIC, r.deviceId().toString(), r));
                    }
                    producer.flush();
                    double publishS = seconds(System.nanoTime() - p0);

                    // 2. the service: the commit makes all N readable at once; time until N more points are acknowledged
                    double before = written();
                    AtomicLong rssKb = new AtomicLong();
                    Thread sampler = rssSampler(rssKb);
                    ProcessCpu.Sample cpu0 = ProcessCpu.sample();
                    long t0 = System.nanoTime();
                    producer.commitTransaction();
                    long deadline = t0 + TimeUnit.MINUTES.toNanos(20);
                    while (written() - before < size) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("only " + (written() - before) + " of " + size + " points after 20 min");
                        }
                        Thread.sleep(2);
                    }
                    long t1 = System.nanoTime();
                    Map<String, Double> serviceCpu = ProcessCpu.microsPer(cpu0, ProcessCpu.sample(), size);
                    sampler.interrupt();
                    sampler.join();
                    double serviceS = seconds(t1 - t0);
                    rssMax = Math.max(rssMax, rssKb.get() / 1024.0);

                    // 3. the reference: the same points as line protocol (built by the client's Point, untimed),
                    //    in batches, to the same endpoint, with as many writes in flight as the service may have
                    //    (WRITERS); timed from the first write's start to the last write's acknowledgement
                    List<List<String>> batches = new ArrayList<>(size / batch + 1);
                    List<String> pending = new ArrayList<>(batch);
                    for (int i = 0; i < size; i++) {
                        pending.add(referencePoint(data.result(i, data.referenceOrg)).toLineProtocol());
                        if (pending.size() == batch || i == size - 1) {
                            batches.add(pending);
                            pending = new ArrayList<>(batch);
                        }
                    }
                    // the issue's reference, one write at a time, then the stricter one with WRITERS in flight
                    ProcessCpu.Sample ref0 = ProcessCpu.sample();
                    long refNanos = writeAll(writers, 1, reference, batches);
                    ProcessCpu.Sample ref1 = ProcessCpu.sample();
                    long ref3Nanos = writeAll(writers, WRITERS, reference, batches);
                    ProcessCpu.Sample ref2 = ProcessCpu.sample();
                    double refS = seconds(refNanos);
                    double ref3S = seconds(ref3Nanos);
                    assertThat(count(data.serviceOrg)).as("service points").isEqualTo(size);
                    assertThat(count(data.referenceOrg)).as("reference points").isEqualTo(size);

                    if (run == 0) {
                        human.append(String.format(Locale.ROOT, "  n=%d warm-up (not counted): service %.0f points/s,"
                                + " reference %.0f points/s, with %d writers %.0f points/s%n", size, size / serviceS,
                                size / refS, WRITERS, size / ref3S));
                        continue;
                    }
                    human.append(String.format(Locale.ROOT,
                            "  n=%d run=%d: service %.2f s, %.0f points/s; reference %.2f s, %.0f points/s, ratio %.2f; "
                                    + "with %d writers %.2f s, %.0f points/s, ratio %.2f (publishing before, untimed: %.1f s)%n",
                            size, run, serviceS, size / serviceS, refS, size / refS, refS / serviceS, WRITERS, ref3S,
                            size / ref3S, ref3S / serviceS, publishS));
                    lines.add(line("pipeline.points_per_s", size / serviceS, "points/s", size, run));
                    lines.add(line("pipeline.points_per_s.ref", size / refS, "points/s", size, run));
                    lines.add(line("pipeline.points_per_s.ref" + WRITERS, size / ref3S, "points/s", size, run));
                    cpuLines(lines, serviceCpu, "", size, run);
                    cpuLines(lines, ProcessCpu.microsPer(ref0, ref1, size), "ref_", size, run);
                    cpuLines(lines, ProcessCpu.microsPer(ref1, ref2, size), "ref" + WRITERS + "_", size, run);
                }
                lines.add(line("pipeline.rss_under_load_mb", rssMax, "MB", size, null));
            }
            writers.shutdownNow();
        }
        String metrics = ManagementPort.given(management).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("bandwatch_metrics_") && !l.startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n    "));
        String report = String.format(Locale.ROOT, "pipeline bench: ping results, topic %s (%d partitions), N=%d and %d,"
                + " %d runs each, %d cores%n", TOPIC, PARTITIONS, n, 10 * n, RUNS,
                Runtime.getRuntime().availableProcessors()) + human
                + "  service (Prometheus):\n    " + metrics + "\n" + String.join("\n", lines) + "\n";
        System.out.print(report);
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/ingest-" + n + ".txt"), report);
    }

    /** Writes every batch with {@code inFlight} writes in flight; the wall time from the first start to the last end. */
    private static long writeAll(ExecutorService threads, int inFlight, WriteApiBlocking api,
            List<List<String>> batches) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>(inFlight);
        long t0 = System.nanoTime();
        for (int w = 0; w < inFlight; w++) {
            done.add(threads.submit(() -> {
                for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                    api.writeRecords(WritePrecision.NS, batches.get(b));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(20, TimeUnit.MINUTES);
        }
        return System.nanoTime() - t0;
    }

    private static String shared(String key, String fresh) {
        System.getProperties().putIfAbsent(key, fresh);
        return System.getProperty(key);
    }

    /** The same N results at every run: deterministic ids, one check per device, a result a minute per device. */
    private static final class Data {
        final int size;
        final int devices;
        final UUID serviceOrg = UUID.randomUUID();
        final UUID referenceOrg = UUID.randomUUID();
        final UUID check = UUID.randomUUID();
        final long seed = System.nanoTime();
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));

        Data(int size) {
            this.size = size;
            this.devices = Math.max(1, size / 200);
        }

        CheckResult result(int i, UUID org) {
            int d = i % devices;
            Instant finished = base.plusSeconds(i / devices * 10L);
            return new CheckResult(new UUID(seed, i), check, new UUID(seed, -1 - d), org, CheckType.PING,
                    finished.minusSeconds(1), finished, null, ResultStatus.OK, null, null,
                    PingMetrics.reachable(i % 10, 1.0, 2.0 + (i % 7), 12.0), "bench");
        }
    }

    /** The point of a ping result as the client's own Point API builds it (the reference's line protocol). */
    private static Point referencePoint(CheckResult r) {
        Point point = Point.measurement("ping").addTag("organization", r.organizationId().toString())
                .addTag("device", r.deviceId().toString()).addTag("check", r.checkId().toString())
                .time(r.finishedAt().getEpochSecond() * 1_000_000_000L + r.finishedAt().getNano(), WritePrecision.NS);
        r.ping().fields().forEach(point::addField);
        return point;
    }

    /**
     * The service's counter of acknowledged points, looked up once: the wait loop reads it every 2 ms, and a
     * registry search copies and scans every meter (hundreds with the Kafka clients'), CPU the service's run paid
     * for and the reference's did not.
     */
    private double written() {
        if (written == null) {
            // registered when the service makes its writer, on the first batch
            written = registry.find("bandwatch.metrics.points.written").counter();
            if (written == null) {
                return 0;
            }
        }
        return written.count();
    }

    private static KafkaProducer<String, CheckResult> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Fixtures.BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "67108864");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "metrics-ingest-bench-" + UUID.randomUUID());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
        KafkaProducer<String, CheckResult> producer = new KafkaProducer<>(props, new StringSerializer(),
                new EventSerializer<>("/bandwatch/bench"));
        producer.initTransactions();
        return producer;
    }

    /** Samples VmRSS of this JVM every 50 ms into {@code maxKb} until interrupted. */
    private static Thread rssSampler(AtomicLong maxKb) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxKb.accumulateAndGet(vmRssKb(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static long vmRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return 0;
    }

    private static long count(UUID org) {
        var rows = Fixtures.rows("SELECT count(\"reachable\") FROM \"" + DATABASE + "\".\"raw\".\"ping\" WHERE "
                + "\"organization\" = '" + org + "'");
        return rows.isEmpty() ? 0 : rows.path(0).path(1).asLong();
    }

    /**
     * Where the machine's CPU went, per point, in a timed phase: {@code pipeline.cpu_us} for the whole machine,
     * {@code pipeline.cpu_us.<group>} for this JVM (the service, or the reference's writers), InfluxDB (influxd and
     * nginx), the Kafka broker, PostgreSQL and the rest ({@link ProcessCpu}); a reference's as
     * {@code pipeline.ref[3]_cpu_us[.<group>]}.
     */
    private static void cpuLines(List<String> lines, Map<String, Double> micros, String prefix, int size, int run) {
        ProcessCpu.figures("pipeline." + prefix + "cpu_us", micros).forEach((key, us) ->
                lines.add(line(key, Math.round(us * 100) / 100.0, "us/point", size, run)));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** {@code BENCH <key> <value> <unit> [n=<size>] [run=<i>]}. */
    static String line(String key, double value, String unit, Integer n, Integer run) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
        return "BENCH " + key + " " + number + " " + unit + (n == null ? "" : " n=" + n)
                + (run == null ? "" : " run=" + run);
    }
}
