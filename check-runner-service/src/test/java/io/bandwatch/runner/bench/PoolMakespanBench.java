package io.bandwatch.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.runner.config.RunnerConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl check-runner-service -Pbench verify
 * -Dtest=PoolMakespanBench} (as root: it starts a device test bed). Starts its own test bed of 24 devices and 3
 * iperf3 servers ({@code deploy/local/testbed}, bed {@code BANDWATCH_TESTBED_ID}, default 0, state folder
 * {@code target/bench-testbed-state}), projects them into the bench database with the runner's projection code,
 * gives every device an iperf3 check on its organization's 3-server pool (test time 2 s), and runs them with two
 * runner replicas built exactly as the service wires one ({@link RunnerEngine}, {@link CheckRunner}: SSH with
 * JSch, Redis leases with the FIFO queue, iperf3 TCP then UDP; the service's settings from its
 * application.properties, only the lease key prefix is the bench's own). First one check runs alone (after a
 * warm-up run) to measure one test; then all 24 become due at once and the makespan (due → last result) is
 * compared with the ideal 24 × one test / 3 servers.
 * <p>
 * Secrets come straight from the test bed's files (in place of inventory's internal endpoint); results go where the
 * service's go (the outbox, in the run's transaction, published by the replicas' relays to the shared Kafka) and are
 * read back from the outbox rows the relays sent; the run history is written to the bench database as the service does.
 */
class PoolMakespanBench {

    static final int DEVICES = Integer.getInteger("bench.pool.devices", 24);
    static final int SERVERS = 3;
    static final int TEST_SECONDS = Integer.getInteger("bench.iperf3-time", 2);
    static final int REPLICAS = 2;

    @Test
    void makespanOf24DevicesOn3ServersAgainstTheIdeal() throws Exception {
        long t0 = System.nanoTime();
        BenchSupport.prepareDatabase();
        BenchSupport.sql("TRUNCATE checks, devices, iperf3_servers, runs, message_log, outbox");
        String prefix = "bwbench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        RunnerConfig config = BenchSupport.runnerConfig(Map.of("bandwatch.runner.lease.key-prefix", prefix));
        String bedId = System.getenv().getOrDefault("BANDWATCH_TESTBED_ID", "0");
        Vertx vertx = Vertx.vertx();
        List<PoolBed.Replica> replicas = new ArrayList<>();
        Pool pool = BenchSupport.pool(vertx, 4);
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        try {
            // inventory's view of the bed, through the runner's projection code
            PoolBed.Projected bed = PoolBed.startAndProject("bench-testbed-state", pool, DEVICES, SERVERS, TEST_SECONDS);
            double bedSeconds = bed.bedSeconds();
            List<UUID> servers = bed.servers();
            List<UUID> checks = bed.checks();

            for (int r = 1; r <= REPLICAS; r++) {
                replicas.add(new PoolBed.Replica("bench-runner-" + r, vertx, config, new PoolBed.BedSecrets(bed.secrets())));
            }
            replicas.forEach(PoolBed.Replica::start);

            // one check alone: a warm-up run (JIT, first SSH sessions), then the measured ones
            runAlone(checks.get(0));
            List<Double> alone = new ArrayList<>();
            for (int k = 1; k <= 2; k++) {
                CheckResult single = runAlone(checks.get(k));
                alone.add(Duration.between(single.startedAt(), single.finishedAt()).toMillis() / 1000.0);
            }
            double singleSeconds = alone.stream().mapToDouble(Double::doubleValue).average().orElseThrow();

            // all 24 due at once
            Instant due = Instant.now();
            PoolBed.makeDue(checks, due);
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!checks.stream().allMatch(results(checks, due)::containsKey) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500); // a duplicate would show up now
            Map<UUID, List<CheckResult>> results = results(checks, due);
            List<CheckResult> all = checks.stream().flatMap(c -> results.getOrDefault(c, List.of()).stream()).toList();
            Instant last = all.stream().map(CheckResult::finishedAt).max(Comparator.naturalOrder()).orElse(due);
            Instant firstStart = all.stream().map(CheckResult::startedAt).min(Comparator.naturalOrder()).orElse(due);
            double makespan = Duration.between(due, last).toMillis() / 1000.0;
            double ideal = DEVICES * singleSeconds / SERVERS;
            String statuses = all.stream().collect(Collectors.groupingBy(
                    r -> r.status().jsonName() + (r.error() == null ? "" : "/" + r.error().code().jsonName()),
                    java.util.TreeMap::new, Collectors.counting())).toString();
            Map<String, Long> perRunner = all.stream().collect(Collectors.groupingBy(CheckResult::runnerId,
                    java.util.TreeMap::new, Collectors.counting()));
            List<PoolBed.RunRow> runs = PoolBed.runs(checks, due);
            double leasedSeconds = PoolBed.leasedSeconds(runs);
            double busy = leasedSeconds / (SERVERS * makespan);

            String human = String.format(Locale.ROOT, """
                    pool makespan bench: %d devices, %d iperf3 servers (one pool), %d runner replicas (max-concurrent-runs=%d,
                      poll-interval=%d ms, lease ttl %d s, lease poll %d ms), iperf3 time %d s TCP then UDP, over SSH (JSch, ed25519,
                      pinned host keys) on test bed %s (up in %.1f s)
                      one test alone (run start to result: lease, SSH login, TCP, UDP): %s s, mean %.2f s
                      24 due at once: makespan (due -> last result) %.2f s, first run started %.2f s after due
                        ideal 24 x %.2f s / 3 = %.2f s; makespan / ideal = %.0f %%
                        servers leased %.0f %% of the makespan; results %s; per replica %s
                      whole bench %.1f s
                    """, DEVICES, SERVERS, REPLICAS, config.maxConcurrentRuns(), config.pollInterval().toMillis(),
                    config.lease().ttl().toSeconds(), config.lease().poll().toMillis(), TEST_SECONDS, bedId,
                    bedSeconds, alone.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), singleSeconds,
                    makespan, Duration.between(due, firstStart).toMillis() / 1000.0, singleSeconds, ideal,
                    100 * makespan / ideal, 100 * busy, statuses, perRunner, (System.nanoTime() - t0) / 1e9);
            BenchSupport.report("pool-makespan", human, List.of(
                    BenchSupport.line("pool.makespan_s", makespan, "s", DEVICES, 0),
                    BenchSupport.line("pool.ideal_s", ideal, "s", DEVICES, 0),
                    BenchSupport.line("pool.single_test_s", singleSeconds, "s", DEVICES, 0),
                    BenchSupport.line("pool.devices", DEVICES, "devices", DEVICES, 0),
                    BenchSupport.line("pool.servers", SERVERS, "servers", DEVICES, 0)));

            // sanity, not timing: every check ran once, none met a server busy with our own tests
            for (UUID check : checks) {
                assertThat(results.getOrDefault(check, List.of())).as("results of check %s", check).hasSize(1);
            }
            assertThat(all).noneMatch(r -> r.error() != null && r.error().code() == ErrorCode.SERVER_BUSY);
            assertThat(all).allSatisfy(r -> assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK));
            PoolBed.assertLeasesNeverOverlap(servers, runs);
        } finally {
            replicas.forEach(PoolBed.Replica::close);
            PoolBed.tearDown(redis, prefix, pool, vertx);
        }
    }

    /** The published results of the checks that started at or after {@code since}, per check. */
    private static Map<UUID, List<CheckResult>> results(List<UUID> checks, Instant since) throws Exception {
        return PoolBed.published(checks, since).stream().collect(Collectors.groupingBy(CheckResult::checkId));
    }

    /** Makes one check due and waits for its result. */
    private CheckResult runAlone(UUID check) throws Exception {
        Instant since = Instant.now().minusMillis(50);
        BenchSupport.sql("UPDATE checks SET next_run_at = now() WHERE id = '" + check + "'");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!results(List.of(check), since).containsKey(check) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<CheckResult> mine = results(List.of(check), since).get(check);
        assertThat(mine).as("result of the check run alone").isNotNull();
        CheckResult r = mine.get(0);
        assertThat(r.status()).as("run alone: %s", r.error()).isEqualTo(ResultStatus.OK);
        return r;
    }
}
