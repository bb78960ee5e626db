package io.bandwatch.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.Schedule;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.repository.CheckRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl check-runner-service -Pbench verify
 * -Dtest=SchedulerBench}. Puts 100 000 checks (50 000 devices with the default ping and nightly iperf3 checks
 * of inventory) in the schedule table of the bench database, all due within a 2 s window, and lets the
 * runner's replicas claim them through {@link CheckRepository#claim}, the claim transaction the engine runs
 * (join on enabled devices, {@code FOR UPDATE SKIP LOCKED}, batches of {@code claim-batch-size}, running_by,
 * run id, claim and heartbeat time and the next run from the cron/interval set in the same transaction). Then,
 * on the same rows reset to the same due window, a bare loop of {@code SELECT id ... ORDER BY next_run_at LIMIT
 * k FOR UPDATE SKIP LOCKED} + one {@code UPDATE ... WHERE id = ANY(...)} (running_by, claim time and a next run
 * one day on, no cron) with the same batch size, threads and driver. Prints claims/s of both and the lateness (claim time − due time) of the service's claims.
 * <p>
 * No check is run: a replica normally holds at most {@code max-concurrent-runs} claims and claims again only
 * when runs end, so in production claims/s is bounded by how long checks take; this measures how fast the
 * schedule table can hand out due checks (the scheduler's own ceiling). Claims are not released, and the
 * heartbeat timeout passed is 1 h, so no claim made during the bench is taken over.
 */
class SchedulerBench {

    static final int CHECKS = Integer.getInteger("bench.checks", 100_000);
    /** Replicas claiming at once; 2 is the production overlay's minimum (HPA 2-6), each claims from one thread. */
    static final int REPLICAS = Integer.getInteger("bench.replicas", 2);
    static final Duration WINDOW = Duration.ofMillis(Long.getLong("bench.due-window-ms", 2_000));
    static final Duration PHASE_LIMIT = Duration.ofMinutes(3);
    static final Duration NO_TAKEOVER = Duration.ofHours(1);

    /** One claim transaction of one replica: the ids it claimed. */
    interface ClaimLoop {
        List<UUID> claim(int replica, String runnerId, int limit);
    }

    record Phase(String name, int claimed, int duplicates, double seconds, long[] latenessMs, Instant firstClaim,
            Instant lastClaim, long startedBeforeFirstDueMs) {
        double perSecond() {
            return claimed / seconds;
        }
    }

    @Test
    void claimsPerSecondOfTheServiceAgainstABareSkipLockedLoop() throws Exception {
        long t0 = System.nanoTime();
        BenchSupport.prepareDatabase();
        RunnerConfig config = BenchSupport.runnerConfig(Map.of());
        int batch = config.claimBatchSize();
        BenchSupport.sql("TRUNCATE checks, devices, runs, message_log");
        long loadStart = System.nanoTime();
        load();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        Vertx vertx = Vertx.vertx();
        List<Pool> pools = new ArrayList<>();
        List<CheckRepository> stores = new ArrayList<>();
        List<String> runnerIds = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            Pool pool = BenchSupport.pool(vertx, 4);
            pools.add(pool);
            stores.add(new CheckRepository(pool));
            runnerIds.add("bench-replica-" + (r + 1));
        }
        try {
            // initialise Mutiny's context propagation once, here, not racing in the claim threads
            for (Pool pool : pools) {
                pool.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10));
            }
            ClaimLoop service = (replica, runnerId, limit) -> stores.get(replica).claim(runnerId, limit, NO_TAKEOVER)
                    .stream().map(CheckRepository.Claim::checkId).toList();
            ClaimLoop bare = (replica, runnerId, limit) -> bareClaim(pools.get(replica), runnerId, limit);

            Phase servicePhase = phase("service", runnerIds, batch, config.pollInterval(), service);
            // every claim is a real one: claimed by a replica, with its heartbeat and a next run after the claim
            try (Connection c = BenchSupport.db(); var st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE running_by IS NULL OR run_id IS NULL"
                            + " OR heartbeat_at IS NULL OR next_run_at <= claimed_at), count(DISTINCT running_by)"
                            + " FROM checks")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows not claimed with runner, run id, heartbeat and next run").isZero();
                assertThat(rs.getLong(2)).as("replicas that claimed").isEqualTo(REPLICAS);
            }
            Phase barePhase = phase("bare", runnerIds, batch, config.pollInterval(), bare);

            String human = String.format(Locale.ROOT, """
                    scheduler bench: %d checks (%d devices, ping every 5 min + nightly iperf3 with 5 h slip, as inventory
                      creates them), all due within a %d ms window; %d replicas claiming at once, each from one thread
                      in batches of claim-batch-size=%d (its own reactive pool), poll-interval=%d ms when nothing is due.
                      Checks are NOT run: this is the schedule table's claim rate (the scheduler's ceiling); a replica
                      in service holds at most max-concurrent-runs=%d claims and claims again only as runs end.
                      load of the schedule table: %.1f s
                      service claim (CheckRepository.claim: join devices, SKIP LOCKED, running_by/run id/heartbeat, next run
                      from cron in the same transaction): %d claims in %.2f s = %.0f claims/s, duplicates %d
                        lateness (claim - due): p50 %.0f ms, p99 %.0f ms, max %.0f ms (claimers started %d ms before the
                        first due time)
                      bare loop (SELECT id ... ORDER BY next_run_at LIMIT %d FOR UPDATE SKIP LOCKED + one UPDATE of
                      running_by, claimed_at and next_run_at = claim + 1 day):
                        %d claims in %.2f s = %.0f claims/s, duplicates %d; lateness p50 %.0f ms, p99 %.0f ms
                      service / bare: %.0f %%
                      whole bench %.1f s
                    """, CHECKS, CHECKS / 2, WINDOW.toMillis(), REPLICAS, batch, config.pollInterval().toMillis(),
                    config.maxConcurrentRuns(), loadSeconds,
                    servicePhase.claimed(), servicePhase.seconds(), servicePhase.perSecond(), servicePhase.duplicates(),
                    BenchSupport.percentile(servicePhase.latenessMs(), 50), BenchSupport.percentile(servicePhase.latenessMs(), 99),
                    BenchSupport.percentile(servicePhase.latenessMs(), 100), servicePhase.startedBeforeFirstDueMs(),
                    batch, barePhase.claimed(), barePhase.seconds(), barePhase.perSecond(), barePhase.duplicates(),
                    BenchSupport.percentile(barePhase.latenessMs(), 50), BenchSupport.percentile(barePhase.latenessMs(), 99),
                    100 * servicePhase.perSecond() / barePhase.perSecond(), (System.nanoTime() - t0) / 1e9);
            BenchSupport.report("scheduler", human, List.of(
                    BenchSupport.line("scheduler.claims_per_s", Math.round(servicePhase.perSecond()), "claims/s"),
                    BenchSupport.line("scheduler.raw_claims_per_s", Math.round(barePhase.perSecond()), "claims/s"),
                    BenchSupport.line("scheduler.p99_lateness_ms", BenchSupport.percentile(servicePhase.latenessMs(), 99), "ms"),
                    BenchSupport.line("scheduler.checks", CHECKS, "checks")));
            for (Phase p : List.of(servicePhase, barePhase)) {
                assertThat(p.claimed()).as("%s: checks claimed", p.name()).isEqualTo(CHECKS);
                assertThat(p.duplicates()).as("%s: checks claimed twice", p.name()).isZero();
            }
        } finally {
            for (Pool pool : pools) {
                pool.close().await().atMost(Duration.ofSeconds(10));
            }
            vertx.close().await().atMost(Duration.ofSeconds(10));
            BenchSupport.sql("TRUNCATE checks, devices, runs, message_log");
        }
    }

    /** Devices and checks as inventory's projections leave them: 2 checks per device, 100 organizations. */
    private static void load() throws Exception {
        int devices = CHECKS / 2;
        UUID[] orgs = new UUID[100];
        Arrays.setAll(orgs, i -> UUID.randomUUID());
        Schedule ping = Schedule.ofInterval(Duration.ofMinutes(5));
        Schedule iperf3 = Schedule.ofCron("0 0 * * *", "UTC").withRandomSlip(Duration.ofHours(5));
        String pingSchedule = EventJson.writeString(ping);
        String iperf3Schedule = EventJson.writeString(iperf3);
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp later = Timestamp.from(Instant.now().plus(Duration.ofDays(1)));
        try (Connection c = DriverManager.getConnection(BenchSupport.JDBC + "?reWriteBatchedInserts=true",
                BenchSupport.USER, BenchSupport.PASSWORD)) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("INSERT INTO devices (id, organization_id, name, address,"
                    + " ssh_port, ssh_user, auth_method, host_key_fingerprint, enabled, version, updated_at)"
                    + " VALUES (?, ?, ?, ?, 22, 'root', 'key', NULL, true, 1, ?)");
                    PreparedStatement k = c.prepareStatement("INSERT INTO checks (id, organization_id, device_id, type,"
                            + " snapshot, schedule, active, version, updated_at, next_run_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, true, 1, ?, ?)")) {
                for (int i = 0; i < devices; i++) {
                    UUID org = orgs[i % orgs.length];
                    UUID device = UUID.randomUUID();
                    d.setObject(1, device);
                    d.setObject(2, org);
                    d.setString(3, "bench-" + i);
                    d.setString(4, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
                    d.setTimestamp(5, now);
                    d.addBatch();
                    for (CheckType type : CheckType.values()) {
                        UUID id = UUID.randomUUID();
                        boolean isIperf3 = type == CheckType.IPERF3;
                        CheckSnapshot snapshot = new CheckSnapshot(id, org, device, type, isIperf3 ? iperf3 : ping, true,
                                1, now.toInstant(), isIperf3 ? Iperf3Options.defaults() : null,
                                isIperf3 ? null : PingOptions.defaults());
                        k.setObject(1, id);
                        k.setObject(2, org);
                        k.setObject(3, device);
                        k.setString(4, type.jsonName());
                        k.setString(5, EventJson.writeString(snapshot));
                        k.setString(6, isIperf3 ? iperf3Schedule : pingSchedule);
                        k.setTimestamp(7, now);
                        k.setTimestamp(8, later);
                        k.addBatch();
                    }
                    if (i % 2_000 == 1_999) {
                        d.executeBatch();
                        k.executeBatch();
                    }
                }
                d.executeBatch();
                k.executeBatch();
            }
            c.commit();
        }
        BenchSupport.sql("VACUUM ANALYZE devices");
        BenchSupport.sql("VACUUM ANALYZE checks");
    }

    /**
     * Releases every claim, then makes all rows due at a random time within {@link #WINDOW} starting shortly
     * after now; returns each row's due time. Vacuumed and analysed in between, so both phases start alike.
     */
    private static Map<UUID, Instant> resetDue() throws Exception {
        BenchSupport.sql("UPDATE checks SET running_by = NULL, run_id = NULL, run_trigger = NULL, claimed_at = NULL,"
                + " heartbeat_at = NULL, request_id = NULL, next_run_at = now() + interval '1 day'");
        BenchSupport.sql("VACUUM ANALYZE checks");
        Map<UUID, Instant> due = new HashMap<>(CHECKS * 2);
        try (Connection c = BenchSupport.db(); PreparedStatement ps = c.prepareStatement(
                "UPDATE checks SET next_run_at = now() + interval '2 seconds' + random() * ? * interval '1 millisecond'"
                        + " RETURNING id, next_run_at")) {
            ps.setLong(1, WINDOW.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.put((UUID) rs.getObject(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        BenchSupport.sql("ANALYZE checks");
        return due;
    }

    private static Phase phase(String name, List<String> runnerIds, int batch, Duration pollInterval, ClaimLoop loop)
            throws Exception {
        Map<UUID, Instant> due = resetDue();
        Instant firstDue = due.values().stream().min(Instant::compareTo).orElseThrow();
        Map<UUID, Instant> claimedAt = new ConcurrentHashMap<>(CHECKS * 2);
        AtomicLong claimed = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant start = Instant.now();
        for (int r = 0; r < runnerIds.size(); r++) {
            int replica = r;
            Thread t = new Thread(() -> {
                try {
                    while (claimed.get() < CHECKS && System.nanoTime() < deadline) {
                        List<UUID> ids = loop.claim(replica, runnerIds.get(replica), batch);
                        Instant at = Instant.now();
                        if (ids.isEmpty()) {
                            if (claimed.get() >= CHECKS) {
                                break;
                            }
                            Thread.sleep(pollInterval.toMillis()); // the engine waits for its next poll
                            continue;
                        }
                        for (UUID id : ids) {
                            if (claimedAt.putIfAbsent(id, at) != null) {
                                duplicates.incrementAndGet();
                            }
                        }
                        claimed.addAndGet(ids.size());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "bench-" + name + "-" + runnerIds.get(r));
            threads.add(t);
        }
        // replicas are polling already when the first check comes due
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(name + " phase failed", failures.get(0));
        }
        long[] lateness = new long[claimedAt.size()];
        int i = 0;
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (Map.Entry<UUID, Instant> e : claimedAt.entrySet()) {
            lateness[i++] = Duration.between(due.get(e.getKey()), e.getValue()).toMillis();
            first = e.getValue().isBefore(first) ? e.getValue() : first;
            last = e.getValue().isAfter(last) ? e.getValue() : last;
        }
        Arrays.sort(lateness);
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        return new Phase(name, claimedAt.size(), (int) duplicates.get(), seconds, lateness, first, last,
                Duration.between(start, firstDue).toMillis());
    }

    /** The reference: the least a SKIP LOCKED claim can do, on the same table, pool and batch size. */
    private static List<UUID> bareClaim(Pool pool, String runnerId, int limit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM checks WHERE active AND running_by IS NULL"
                + " AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(now, limit))
                .flatMap(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(ids);
                    }
                    // like any claim, it moves the row out of the due part of the index (here by a fixed day, no
                    // cron): left there, every later SELECT would walk over all rows claimed before
                    return conn.preparedQuery("UPDATE checks SET running_by = $1, claimed_at = $2, heartbeat_at = $2,"
                            + " next_run_at = $4 WHERE id = ANY($3)")
                            .execute(Tuple.of(runnerId, now, ids.toArray(new UUID[0]), now.plusDays(1)))
                            .map(x -> ids);
                }))
                .await().atMost(Duration.ofSeconds(15));
    }
}
