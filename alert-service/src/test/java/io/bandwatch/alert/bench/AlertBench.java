package io.bandwatch.alert.bench;

import io.bandwatch.alert.bench.BenchResults.Size;
import io.bandwatch.alert.messaging.ResultsConsumer;
import io.bandwatch.alert.service.InventoryProjection;
import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.testing.JwtKeysResource;
import io.bandwatch.testing.ProcessCpu;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl alert-service -am -Pbench verify -Dtest='*Bench'
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.results=200000]}. For each size (N and 10 N results at 0.2
 * transitions a result, figures {@code alert.*}; N results of a calm fleet at 0.02, figures {@code alert.calm.*}: see
 * {@link BenchResults}; each on a topic of its own, published before the service consumes), three times on the same
 * records: the raw consume of the
 * topic (the reference), then the service's evaluation of the whole topic from a fresh state (its consumers started
 * on the topic, a new position, the bench's checks and their settings removed), timed from the first committed batch
 * to the last, with the process's RSS sampled meanwhile. The outbox relay is stopped while it runs, and the bench's
 * rows and topics are removed at the end, so nothing reaches {@code alert.notifications} or {@code devices.health}.
 */
@QuarkusTest
@TestProfile(AlertBench.Profile.class)
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = true)
class AlertBench {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BenchResults.class));
        }
    }

    static final int RUNS = 3;

    @Inject
    Pool pool;

    @Inject
    ResultsConsumer consumer;

    @Inject
    OutboxRelay relay;

    @Inject
    MeterRegistry registry;

    @Inject
    InventoryProjection projection;

    @Test
    void evaluationsPerSecond() throws Exception {
        relay.stopRelay();
        List<String> lines = new ArrayList<>();
        try {
            for (Size size : BenchResults.SIZES) {
                register(size);
                if (size == BenchResults.SIZES.get(0)) {
                    // one unmeasured round of both sides first (JMH's warm-up): the JIT compiles the reading for
                    // the reference and the evaluation for the service, so that run 1 is not a cold JVM's
                    BenchResults.consumeRaw(size);
                    reset(size);
                    Measured warm = measure(size);
                    System.out.printf(Locale.ROOT, "BENCH n=%d warm-up (not counted): service %.0f results/s%n",
                            size.n(), warm.rate);
                }
                for (int run = 1; run <= RUNS; run++) {
                    BenchResults.Raw ref = BenchResults.consumeRaw(size);
                    reset(size);
                    Measured m = measure(size);
                    line(lines, size.figure() + ".results_per_s.ref", ref.rate(), "results/s", size.n(), run);
                    line(lines, size.figure() + ".results_per_s", m.rate, "results/s", size.n(), run);
                    line(lines, size.figure() + ".rss_under_load_mb", m.rssMb, "MB", size.n(), run);
                    cpuLines(lines, size, run, m.cpuMicros, false);
                    cpuLines(lines, size, run, ref.cpuMicros(), true);
                    System.out.printf(Locale.ROOT, "BENCH %s n=%d run=%d: %d results evaluated in %.2f s, %d notifications%n",
                            size.figure(), size.n(), run, m.counted, m.seconds, notifications(size));
                }
            }
        } finally {
            consumer.stop();
            for (Size size : BenchResults.SIZES) {
                reset(size);
                remove(size);
            }
            relay.startRelay();
        }
        lines.forEach(System.out::println);
    }

    record Measured(double rate, double seconds, long counted, double rssMb, Map<String, Double> cpuMicros) {
    }

    /**
     * Where the machine's CPU went, per result, in the timed part of a run: {@code <figure>.cpu_us} for the whole
     * machine, {@code <figure>.cpu_us.<group>} for this JVM (the service, or the reference's reader), PostgreSQL, the
     * Kafka broker and the rest ({@link ProcessCpu}); the reference's run as {@code <figure>.ref_cpu_us[.<group>]}
     * (not {@code .cpu_us.ref}: a CPU time is no rate to take a ratio of in the table).
     */
    private static void cpuLines(List<String> lines, Size size, int run, Map<String, Double> micros, boolean ref) {
        ProcessCpu.figures(size.figure() + (ref ? ".ref_cpu_us" : ".cpu_us"), micros).forEach((key, us) ->
                lines.add(String.format(Locale.ROOT, "BENCH %s %.2f us/result n=%d run=%d", key, us, size.n(), run)));
    }

    /**
     * Starts the consumers on the size's topic and samples the evaluated-results counter until all are counted: the
     * counter every 2 ms (one volatile read of a counter found once), the RSS every 50 ms (a read of
     * /proc/self/status), so that the sampling takes next to nothing of the 2 cores the consumers share.
     */
    private Measured measure(Size size) throws Exception {
        Counter counter = registry.counter("bandwatch.alert.results", "outcome", "evaluated");
        double base = counter.count();
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(40).toMillis();
        long maxRss = rssKb();
        long firstAt = 0;
        double firstCount = 0;
        double count = 0;
        long lastAt = 0;
        long rssAt = 0;
        ProcessCpu.Sample cpu0 = null;
        ProcessCpu.Sample cpu1 = null;
        consumer.start(size.topic());
        try {
            while (System.currentTimeMillis() < deadline) {
                count = counter.count() - base;
                long now = System.nanoTime();
                if (count > 0 && firstAt == 0) {
                    firstAt = now;
                    firstCount = count;
                    cpu0 = ProcessCpu.sample();
                }
                if (count >= size.n()) {
                    lastAt = now;
                    cpu1 = ProcessCpu.sample();
                    break;
                }
                if (now - rssAt > 50_000_000L) {
                    maxRss = Math.max(maxRss, rssKb());
                    rssAt = now;
                }
                Thread.sleep(2);
            }
            maxRss = Math.max(maxRss, rssKb());
        } finally {
            consumer.stop();
        }
        if (lastAt == 0) {
            throw new AssertionError("only " + (long) count + " of " + size.n() + " results evaluated in time");
        }
        double seconds = (lastAt - firstAt) / 1e9;
        return new Measured((count - firstCount) / seconds, seconds, (long) count, maxRss / 1024.0,
                ProcessCpu.microsPer(cpu0, cpu1, (long) (count - firstCount)));
    }

    private static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** The checks are known before their results come, as in production (from inventory.checks): defaults created. */
    private void register(Size size) {
        for (Fixture f : size.checks()) {
            projection.check(f.checkSnapshot()).await().atMost(Duration.ofSeconds(30));
        }
    }

    /** Everything the bench's results changed: states back to before any point, and the stored positions. */
    private void reset(Size size) throws Exception {
        UUID[] devices = size.checks().stream().map(Fixture::device).toArray(UUID[]::new);
        run("DELETE FROM outbox WHERE event_key = ANY($1::text[])",
                Tuple.of(Arrays.stream(devices).map(UUID::toString).toArray(String[]::new)));
        run("DELETE FROM webhook_delivery WHERE notification_id IN (SELECT id FROM notification WHERE device_id = ANY($1))",
                Tuple.of(devices));
        run("DELETE FROM notification WHERE device_id = ANY($1)", Tuple.of(devices));
        run("DELETE FROM device_health WHERE device_id = ANY($1)", Tuple.of(devices));
        run("UPDATE alert_setting SET status = 'ok', first_crossing_at = NULL, crossing_points = 0, last_point_at = NULL, "
                + "last_value = NULL WHERE device_id = ANY($1)", Tuple.of(devices));
        pool.preparedQuery("DELETE FROM consumer_offset WHERE group_id = $1 AND topic = $2")
                .execute(Tuple.of(BenchResults.GROUP, size.topic())).await().atMost(Duration.ofSeconds(30));
        // The deleted rows' versions are still in the tables and their indexes until a vacuum: without one, every run
        // re-inserts the previous run's notification ids next to their dead index entries (each insert's uniqueness
        // check visits them), writes on pages full of dead settings and health versions, and autovacuum may start in
        // the middle of a timed run. Production never re-inserts deleted ids; each run starts from clean tables here.
        pool.query("VACUUM (ANALYZE) outbox, webhook_delivery, notification, device_health, alert_setting, consumer_offset")
                .execute().await().atMost(Duration.ofMinutes(2));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.BOOTSTRAP))) {
            var parts = new java.util.HashSet<TopicPartition>();
            for (int p = 0; p < 3; p++) {
                parts.add(new TopicPartition(size.topic(), p));
            }
            // the group keeps its (SmallRye) members of the inventory topics: offsets of a topic that no member reads
            // can be deleted; retried while the stopped consumers are still leaving
            for (int attempt = 0; attempt < 60; attempt++) {
                try {
                    admin.deleteConsumerGroupOffsets(BenchResults.GROUP, parts).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // none yet, or a consumer still leaving
                }
                boolean left = admin.listConsumerGroupOffsets(BenchResults.GROUP).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).keySet().stream().noneMatch(parts::contains);
                if (left) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("the offsets of " + size.topic() + " could not be deleted");
        }
    }

    /** The bench's checks and settings, at the end. */
    private void remove(Size size) {
        UUID[] devices = size.checks().stream().map(Fixture::device).toArray(UUID[]::new);
        run("DELETE FROM alert_setting WHERE device_id = ANY($1)", Tuple.of(devices));
        run("DELETE FROM monitored_check WHERE device_id = ANY($1)", Tuple.of(devices));
        run("DELETE FROM message_log WHERE event_id = ANY($1)",
                Tuple.of(size.checks().stream().map(f -> f.checkSnapshot().eventId()).toArray(UUID[]::new)));
    }

    private void run(String sql, Tuple params) {
        pool.preparedQuery(sql).execute(params).await().atMost(Duration.ofMinutes(2));
    }

    private long notifications(Size size) {
        UUID[] devices = size.checks().stream().map(Fixture::device).toArray(UUID[]::new);
        return pool.preparedQuery("SELECT count(*) FROM notification WHERE device_id = ANY($1)")
                .execute(Tuple.of(devices)).await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }

    private static void line(List<String> lines, String key, double value, String unit, int n, int run) {
        String l = String.format(Locale.ROOT, "BENCH %s %.0f %s n=%d run=%d", key, value, unit, n, run);
        System.out.println("measured: " + l); // progress; the BENCH lines themselves are printed once, at the end
        lines.add(l);
    }
}
