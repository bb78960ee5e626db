package io.bandwatch.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.CheckResult;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.it.Harness;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl check-runner-service -Pbench verify
 * -Dtest=PoolChurnBench} (as root: it starts a device test bed). The server pool under churn (issue 14 item 8): a
 * test bed of 2 × {@code bench.pool.devices} devices (48 by default) and 3 iperf3 servers, one iperf3 check per device
 * on the organization's 3-server pool (2 s TCP + 2 s UDP), run by two runner replicas that are separate OS processes
 * ({@link ReplicaProcess}: the service's engine, check runner, Redis leases, SSH and outbox relay, with secrets from the
 * bed's files; results go to the outbox in the run's transaction and the relays publish them). One check runs alone
 * (after a warm-up run) twice for the ideal; then all become due at once, and when half of them have a published
 * result one replica is killed with {@code kill -9}. Its leases expire by their TTL and its claims are taken over by
 * the survivor once their heartbeat is older than the timeout (the service's defaults from its application.properties;
 * {@code -Dbandwatch.runner.*} overrides them; below 12 devices, bench-test's tiny CI size, RunnerProcessesIT's short
 * ones: lease TTL 6 s, heartbeat 1 s, timeout 8 s). Asserted: every check ends with exactly one published result
 * (distinct event ids of the outbox rows the relays sent) and exactly one recorded run, all {@code ok}, none
 * {@code server_busy} (an iperf3 server refuses a second client: two tests at once on one server would show), and
 * the recorded leases of a server never overlap. Measured: makespan (due → last result) against the ideal
 * (devices × one test alone / 3 servers).
 */
class PoolChurnBench {

    static final int DEVICES = 2 * Integer.getInteger("bench.pool.devices", 24);
    static final int SERVERS = 3;
    static final int TEST_SECONDS = Integer.getInteger("bench.iperf3-time", 2);
    /**
     * The service's own settings (application.properties: lease TTL, heartbeat interval and timeout as deployed);
     * {@code -Dbandwatch.runner.X=V} on the bench's command line overrides one, e.g. to compare other lease settings.
     */
    static final Map<String, String> CHURN_SETTINGS = settings();
    /** Below this many devices (bench-test's tiny CI run) the short settings of RunnerProcessesIT keep it cheap. */
    static final int TINY = 12;

    private static Map<String, String> settings() {
        Map<String, String> given = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bandwatch.runner.") && !k.equals("bandwatch.runner.lease.key-prefix"))
                .collect(Collectors.toMap(k -> k, System::getProperty));
        if (given.isEmpty() && DEVICES < TINY) {
            // a tiny run only shows that the bench works: no 30 s takeover wait for a handful of checks
            return Map.of("bandwatch.runner.lease.ttl", "6s", "bandwatch.runner.heartbeat-interval", "1s",
                    "bandwatch.runner.heartbeat-timeout", "8s");
        }
        return Map.copyOf(given);
    }

    /** How many of the bed's server leases {@code replica} holds now (lease values are "token|holder|run|since"). */
    private static int leasesHeldBy(Redis redis, String prefix, String replica) {
        io.vertx.mutiny.redis.client.RedisAPI api = io.vertx.mutiny.redis.client.RedisAPI.api(redis);
        int held = 0;
        for (io.vertx.mutiny.redis.client.Response key : api.keys(prefix + "lease:*").await().atMost(Duration.ofSeconds(5))) {
            io.vertx.mutiny.redis.client.Response value = api.get(key.toString()).await().atMost(Duration.ofSeconds(5));
            String[] parts = value == null ? new String[0] : value.toString().split("\\|", 4);
            if (parts.length > 1 && parts[1].equals(replica)) {
                held++;
            }
        }
        return held;
    }

    /** A published result, as the bench reads it. */
    record Result(UUID checkId, UUID eventId, String status, String errorCode, Instant startedAt, Instant finishedAt,
            String runnerId) {
        static Result of(CheckResult r) {
            return new Result(r.checkId(), r.eventId(), r.status().jsonName(),
                    r.error() == null ? "-" : r.error().code().jsonName(), r.startedAt(), r.finishedAt(), r.runnerId());
        }
    }

    /** The replicas' logs and properties: a folder per run, so that a later run does not overwrite an odd one's. */
    private final Path dir = Path.of("target", "bench-churn",
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                    .format(Instant.now())).toAbsolutePath();
    private final List<Process> children = new ArrayList<>();

    @Test
    void makespanOfDevicesOn3ServersWithAReplicaKilledHalfWay() throws Exception {
        long t0 = System.nanoTime();
        BenchSupport.prepareDatabase();
        BenchSupport.sql("TRUNCATE checks, devices, iperf3_servers, runs, message_log, outbox");
        String prefix = "bwchurn:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        RunnerConfig config = BenchSupport.runnerConfig(CHURN_SETTINGS);
        String bedId = System.getenv().getOrDefault("BANDWATCH_TESTBED_ID", "0");
        Files.createDirectories(dir);
        Vertx vertx = Vertx.vertx();
        Pool pool = BenchSupport.pool(vertx, 4);
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        try {
            // inventory's view of the bed, through the runner's projection code
            PoolBed.Projected bed = PoolBed.startAndProject("bench-churn-testbed-state", pool, DEVICES, SERVERS, TEST_SECONDS);
            double bedSeconds = bed.bedSeconds();
            List<UUID> checks = bed.checks();

            for (int r = 1; r <= 2; r++) {
                start("churn-runner-" + r, prefix, bed);
            }
            for (int r = 1; r <= 2; r++) {
                Path log = dir.resolve("churn-runner-" + r + ".log");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(Files.exists(log) && Files.readString(log).contains("READY")) && System.nanoTime() < deadline) {
                    assertThat(children.get(r - 1).isAlive()).as("replica %d alive (log %s)", r, log).isTrue();
                    Thread.sleep(100);
                }
                assertThat(Files.readString(log)).as("replica %d ready (log %s)", r, log).contains("READY");
            }

            // one check alone: a warm-up run (JIT, first SSH sessions), then the measured ones
            runAlone(checks, checks.get(0));
            List<Double> alone = new ArrayList<>();
            for (int k = 1; k <= 2; k++) {
                Result single = runAlone(checks, checks.get(k));
                alone.add(Duration.between(single.startedAt(), single.finishedAt()).toMillis() / 1000.0);
            }
            double singleSeconds = alone.stream().mapToDouble(Double::doubleValue).average().orElseThrow();

            Instant due = Instant.now();
            PoolBed.makeDue(checks, due);
            long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
            Instant killedAt = null;
            int victimLeases = -1;
            Process victim = children.get(0);
            List<Result> results = results(checks, due);
            while (results.stream().map(Result::checkId).distinct().count() < checks.size()
                    && System.nanoTime() < deadline) {
                if (killedAt == null && results.size() >= checks.size() / 2) {
                    victimLeases = leasesHeldBy(redis, prefix, "churn-runner-1");
                    Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).inheritIO().start();
                    assertThat(kill.waitFor()).as("kill -9 exit code").isZero();
                    killedAt = Instant.now();
                    assertThat(victim.waitFor()).as("the victim's exit status (SIGKILL)").isEqualTo(137);
                }
                Thread.sleep(100);
                results = results(checks, due);
            }
            Thread.sleep(2000); // a duplicate would show up now
            results = results(checks, due);
            Instant last = results.stream().map(Result::finishedAt).max(Comparator.naturalOrder()).orElse(due);
            double makespan = Duration.between(due, last).toMillis() / 1000.0;
            double ideal = DEVICES * singleSeconds / SERVERS;
            List<PoolBed.RunRow> runs = PoolBed.runs(checks, due);
            long takeovers = runs.stream().filter(r -> "takeover".equals(r.trigger())).count();
            Map<String, Long> statuses = results.stream().collect(Collectors.groupingBy(
                    r -> r.status() + ("-".equals(r.errorCode()) ? "" : "/" + r.errorCode()), TreeMap::new,
                    Collectors.counting()));
            Map<String, Long> perRunner = results.stream().collect(Collectors.groupingBy(Result::runnerId,
                    TreeMap::new, Collectors.counting()));
            double busy = PoolBed.leasedSeconds(runs) / (SERVERS * makespan);
            long[] delays = PoolBed.publishDelaysMillis(checks);

            String human = String.format(Locale.ROOT, """
                    pool churn bench: %d devices, %d iperf3 servers (one pool), 2 runner replicas as OS processes
                      (max-concurrent-runs=%d, poll-interval=%d ms, lease ttl %d s, heartbeat %d s, heartbeat timeout %d s),
                      iperf3 time %d s TCP then UDP over SSH on test bed %s (up in %.1f s)
                      one test alone: %s s, mean %.2f s
                      %d due at once; churn-runner-1 killed with kill -9 %.2f s after due, when %d results were in,
                        holding %d of the %d server leases (logs in %s)
                      makespan (due -> last result) %.2f s; ideal %d x %.2f s / 3 = %.2f s; makespan / ideal = %.0f %%
                      servers leased %.0f %% of the makespan (recorded runs); runs taken over: %d
                      results %s; per replica %s
                      outbox commit -> published (sent_at - created_at) over %d results: median %.0f ms, p99 %.0f ms, max %.0f ms
                      whole bench %.1f s
                    """, DEVICES, SERVERS, config.maxConcurrentRuns(), config.pollInterval().toMillis(),
                    config.lease().ttl().toSeconds(), config.heartbeatInterval().toSeconds(),
                    config.heartbeatTimeout().toSeconds(), TEST_SECONDS, bedId, bedSeconds,
                    alone.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), singleSeconds, DEVICES,
                    killedAt == null ? Double.NaN : Duration.between(due, killedAt).toMillis() / 1000.0, checks.size() / 2,
                    victimLeases, SERVERS, dir,
                    makespan, DEVICES, singleSeconds, ideal, 100 * makespan / ideal, 100 * busy, takeovers, statuses,
                    perRunner, delays.length, BenchSupport.percentile(delays, 50), BenchSupport.percentile(delays, 99),
                    BenchSupport.percentile(delays, 100), (System.nanoTime() - t0) / 1e9);
            BenchSupport.report("pool-churn", human, List.of(
                    BenchSupport.line("pool.churn_makespan_s", makespan, "s", DEVICES, 0),
                    BenchSupport.line("pool.churn_makespan_s.ref", ideal, "s", DEVICES, 0),
                    BenchSupport.line("pool.churn_takeovers", takeovers, "runs", DEVICES, 0),
                    BenchSupport.line("pool.churn_devices", DEVICES, "devices", DEVICES, 0)));

            assertThat(killedAt).as("a replica was killed half-way").isNotNull();
            Map<UUID, Long> perCheck = results.stream().collect(Collectors.groupingBy(Result::checkId,
                    Collectors.counting()));
            Map<UUID, Long> runsPerCheck = PoolBed.runsPerCheck(runs);
            for (UUID check : checks) {
                assertThat(perCheck.getOrDefault(check, 0L)).as("results of check %s", check).isEqualTo(1);
                assertThat(runsPerCheck.getOrDefault(check, 0L)).as("recorded runs of check %s", check).isEqualTo(1);
            }
            assertThat(results).noneMatch(r -> "server_busy".equals(r.errorCode()));
            assertThat(results).allSatisfy(r -> assertThat(r.status()).as("%s", r.errorCode()).isEqualTo("ok"));
            PoolBed.assertLeasesNeverOverlap(bed.servers(), runs);
        } finally {
            for (Process p : children) {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            PoolBed.tearDown(redis, prefix, pool, vertx);
        }
    }

    /** Starts a replica process. */
    private void start(String runnerId, String prefix, PoolBed.Projected bed) throws IOException {
        Properties spec = new Properties();
        spec.setProperty("runner-id", runnerId);
        spec.setProperty("bandwatch.runner.lease.key-prefix", prefix);
        CHURN_SETTINGS.forEach(spec::setProperty);
        for (int i = 0; i < bed.checks().size(); i++) {
            JsonNode d = Harness.device(i + 1);
            UUID check = bed.checks().get(i);
            spec.setProperty("secret." + check, bed.secrets().get(check).deviceId() + "|" + d.get("user").asText() + "|"
                    + d.get("ed25519_key").asText() + "|" + d.get("host_key_fingerprint").asText());
        }
        Path file = dir.resolve(runnerId + ".properties");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            spec.store(out, "PoolChurnBench replica");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the replicas use the bench's database and Kafka (-Dbench.database, -Dbench.kafka) as the bench itself does
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-Dbench.database=" + BenchSupport.DATABASE,
                "-Dbench.kafka=" + BenchSupport.KAFKA, "-cp", System.getProperty("java.class.path"),
                ReplicaProcess.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(runnerId + ".log").toFile()).start();
        children.add(p);
    }

    /** Every published result of the checks that started at or after {@code since}, one per event id. */
    private static List<Result> results(List<UUID> checks, Instant since) throws Exception {
        return PoolBed.published(checks, since).stream().map(Result::of).toList();
    }

    /** Makes one check due and waits for its result. */
    private static Result runAlone(List<UUID> checks, UUID check) throws Exception {
        Instant since = Instant.now();
        PoolBed.makeDue(List.of(check), since);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (Result r : results(List.of(check), since.minusMillis(50))) {
                if (r.checkId().equals(check)) {
                    assertThat(r.status()).as("run alone: %s", r.errorCode()).isEqualTo("ok");
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no result of the check run alone within 90 s");
    }
}
