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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl check-runner-service -Pbench verify
 * -Dtest=SchedulerBench}. At two sizes ({@code -Dbench.checks} / 10 and {@code -Dbench.checks}, default 10 000 and
 * 100 000 checks: half devices' pings every 5 min, half nightly iperf3 checks with a 5 h slip, as inventory creates
 * them) the schedule table of the bench database is loaded once, then three times on the same rows:
 * <ol>
 * <li><b>stampede</b>: every row due within a 2 s window ({@code -Dbench.due-window-ms}); the runner's replicas
 *     claim them through {@link CheckRepository#claim}, the claim the engine runs (due rows of enabled devices,
 *     {@code FOR UPDATE SKIP LOCKED}, batches of {@code claim-batch-size}, running_by, run id, claim and heartbeat
 *     time and the next run from the cron/interval with its random slip, in one statement that returns the
 *     snapshots; then requests and stale claims when fewer than a batch were due). The
 *     next runs the claims gave the nightly checks show how the slip spreads the next midnight;</li>
 * <li><b>reference</b>: the same rows, reset to the same due window, claimed by a bare loop of {@code SELECT id
 *     ... ORDER BY next_run_at LIMIT k FOR UPDATE SKIP LOCKED} + one {@code UPDATE ... WHERE id = ANY(...)}
 *     (running_by, claim time and a next run one day on, no cron) with the same batch size, threads and driver;</li>
 * <li><b>steady state</b>: every row due once in a 5 min cycle (uniform), i.e. checks / 300 due per second (333/s
 *     at 100 000); the replicas claim as the engine does (until nothing is due, then sleep {@code poll-interval})
 *     for {@code -Dbench.steady-seconds} (default 20, 5 below 10 000 checks); lateness = claim time − due time of every row due in the
 *     window (a row not claimed by the end counts as late by then).</li>
 * </ol>
 * No check is run: a replica normally holds at most {@code max-concurrent-runs} claims and claims again only
 * when runs end, so in production claims/s is bounded by how long checks take; this measures how fast the
 * schedule table can hand out due checks (the scheduler's own ceiling). Claims are not released, and the
 * heartbeat timeout passed is 1 h, so no claim made during the bench is taken over.
 */
class SchedulerBench {

    static final int CHECKS = Integer.getInteger("bench.checks", 100_000);
    /** Replicas claiming at once; 2 is the production overlay's minimum (HPA 2-6), each claims from one thread. */
    static final int REPLICAS = Integer.getInteger("bench.replicas", 2);
    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final Duration WINDOW = Duration.ofMillis(Long.getLong("bench.due-window-ms", 2_000));
    static final Duration CYCLE = Duration.ofMinutes(5);
    /** Length of the steady-state phase: 20 s (5 s below 10 000 checks, so that bench-test's tiny run stays short). */
    static Duration steady(int checks) {
        return Duration.ofSeconds(Long.getLong("bench.steady-seconds", checks >= 10_000 ? 20 : 5));
    }
    static final Duration PHASE_LIMIT = Duration.ofMinutes(3);
    static final Duration NO_TAKEOVER = Duration.ofHours(1);
    static final Duration IPERF3_SLIP = Duration.ofHours(5);

    /** One claim transaction of one replica: the ids it claimed. */
    interface ClaimLoop {
        List<UUID> claim(int replica, String runnerId, int limit);
    }

    record Phase(String name, int claimed, int duplicates, double seconds, long[] latenessMs, Instant firstClaim,
            Instant lastClaim, long startedBeforeFirstDueMs, double drainSeconds) {
        double perSecond() {
            return claimed / seconds;
        }

        double p(double percentile) {
            return BenchSupport.percentile(latenessMs, percentile);
        }
    }

    /** How the slip spread the next runs of the nightly checks: KS distance to uniform on [0, slip], min, max. */
    record Spread(int rows, double ks, double minSeconds, double maxSeconds) {
    }

    @Test
    void claimsPerSecondOfTheServiceAgainstABareSkipLockedLoop() throws Exception {
        long t0 = System.nanoTime();
        BenchSupport.prepareDatabase();
        Map<String, String> overrides = new HashMap<>();
        // "before" figures of the steady state: -Dbench.poll-interval=1s (the default before it was 250 ms)
        Optional.ofNullable(System.getProperty("bench.poll-interval"))
                .ifPresent(v -> overrides.put("bandwatch.runner.poll-interval", v));
        RunnerConfig config = BenchSupport.runnerConfig(overrides);
        StringBuilder human = new StringBuilder(String.format(Locale.ROOT, """
                scheduler bench: %d replicas claiming at once, each from one thread in batches of claim-batch-size=%d
                  (its own reactive pool, cache-prepared-statements=%s), poll-interval=%d ms when nothing is due.
                  Checks are NOT run: this is the schedule table's claim rate (the scheduler's ceiling); a replica in
                  service holds at most max-concurrent-runs=%d claims and claims again only as runs end. %d
                  repetitions per size.
                """, REPLICAS, config.claimBatchSize(), BenchSupport.CACHE_PREPARED_STATEMENTS,
                config.pollInterval().toMillis(), config.maxConcurrentRuns(), RUNS));
        List<String> lines = new ArrayList<>();
        for (int n : new int[] {Math.max(10, CHECKS / 10), CHECKS}) {
            size(n, config, human, lines);
        }
        human.append(String.format(Locale.ROOT, "whole bench %.1f s%n", (System.nanoTime() - t0) / 1e9));
        BenchSupport.report("scheduler", human.toString(), lines);
    }

    private void size(int checks, RunnerConfig config, StringBuilder human, List<String> lines) throws Exception {
        int batch = config.claimBatchSize();
        BenchSupport.sql("TRUNCATE checks, devices, runs, message_log");
        long loadStart = System.nanoTime();
        load(checks);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        human.append(String.format(Locale.ROOT, "%n%d checks (%d devices): load of the schedule table %.1f s%n", checks,
                checks / 2, loadSeconds));
        lines.add(BenchSupport.line("scheduler.checks", checks, "checks", checks, 0));

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
            for (int run = 1; run <= RUNS; run++) {
                Phase stampede = phase("service", checks, runnerIds, batch, config.pollInterval(), service,
                        resetDue(WINDOW, Duration.ofSeconds(2)), null);
                // every claim is a real one: claimed by a replica, with its heartbeat and a next run after the claim
                try (Connection c = BenchSupport.db(); var st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE running_by IS NULL OR run_id IS NULL"
                                + " OR heartbeat_at IS NULL OR next_run_at <= claimed_at), count(DISTINCT running_by)"
                                + " FROM checks")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows not claimed with runner, run id, heartbeat and next run").isZero();
                    assertThat(rs.getLong(2)).as("replicas that claimed").isEqualTo(REPLICAS);
                }
                Spread spread = slipSpread();
                Phase reference = phase("bare", checks, runnerIds, batch, config.pollInterval(), bare,
                        resetDue(WINDOW, Duration.ofSeconds(2)), null);
                Phase steady = phase("steady", checks, runnerIds, batch, config.pollInterval(), service,
                        resetDue(CYCLE, Duration.ofSeconds(2)), steady(checks));
                for (Phase p : List.of(stampede, reference)) {
                    assertThat(p.claimed()).as("%s: checks claimed", p.name()).isEqualTo(checks);
                }
                for (Phase p : List.of(stampede, reference, steady)) {
                    assertThat(p.duplicates()).as("%s: checks claimed twice", p.name()).isZero();
                }
                // the slip puts every nightly check within [midnight, midnight + slip], spread uniformly
                assertThat(spread.minSeconds()).as("earliest slip, s").isGreaterThanOrEqualTo(0);
                assertThat(spread.maxSeconds()).as("latest slip, s").isLessThanOrEqualTo(IPERF3_SLIP.toSeconds());
                assertThat(spread.ks()).as("KS distance of the slips to uniform over %s (%d rows)", IPERF3_SLIP,
                        spread.rows()).isLessThan(Math.max(0.02, 2.0 / Math.sqrt(spread.rows())));
                human.append(String.format(Locale.ROOT, """
                          run %d:
                            stampede (all due within %d ms), service claim: %d claims in %.2f s = %.0f claims/s; drained %.2f s
                              after the first due time; lateness p50 %.0f ms, p99 %.0f ms, max %.0f ms
                            next runs of the %d nightly checks: slip %.0f..%.0f s of %d s, KS distance to uniform %.4f
                            reference (bare SKIP LOCKED loop, same batch): %d claims in %.2f s = %.0f claims/s
                            service / bare: %.0f %%
                            steady state (%.0f due/s, every row once in 5 min), %d s: %d claims; lateness p50 %.0f ms,
                              p99 %.0f ms, max %.0f ms
                        """, run, WINDOW.toMillis(), stampede.claimed(), stampede.seconds(), stampede.perSecond(),
                        stampede.drainSeconds(), stampede.p(50), stampede.p(99), stampede.p(100), spread.rows(),
                        spread.minSeconds(), spread.maxSeconds(), IPERF3_SLIP.toSeconds(), spread.ks(),
                        reference.claimed(), reference.seconds(), reference.perSecond(),
                        100 * stampede.perSecond() / reference.perSecond(), checks / (double) CYCLE.toSeconds(),
                        steady(checks).toSeconds(), steady.claimed(), steady.p(50), steady.p(99), steady.p(100)));
                lines.add(BenchSupport.line("scheduler.claims_per_s", Math.round(stampede.perSecond()), "claims/s", checks, run));
                lines.add(BenchSupport.line("scheduler.claims_per_s.ref", Math.round(reference.perSecond()), "claims/s", checks, run));
                lines.add(BenchSupport.line("scheduler.p99_lateness_ms", steady.p(99), "ms", checks, run));
                lines.add(BenchSupport.line("scheduler.steady_due_per_s", checks / (double) CYCLE.toSeconds(), "checks/s", checks, run));
                lines.add(BenchSupport.line("scheduler.stampede_drain_s", stampede.drainSeconds(), "s", checks, run));
                lines.add(BenchSupport.line("scheduler.stampede_p99_lateness_ms", stampede.p(99), "ms", checks, run));
                // per mille: the line has 2 decimals
                lines.add(BenchSupport.line("scheduler.slip_ks", 1000 * spread.ks(), "permille", checks, run));
            }
        } finally {
            for (Pool pool : pools) {
                pool.close().await().atMost(Duration.ofSeconds(10));
            }
            vertx.close().await().atMost(Duration.ofSeconds(10));
            BenchSupport.sql("TRUNCATE checks, devices, runs, message_log");
        }
    }

    /**
     * The next runs the stampede's claims gave the nightly iperf3 checks (cron {@code 0 0 * * *} UTC, slip 5 h): each
     * minus the midnight after its claim, against the uniform distribution on [0, slip].
     */
    private static Spread slipSpread() throws Exception {
        List<Double> slips = new ArrayList<>();
        try (Connection c = BenchSupport.db(); var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT extract(epoch FROM next_run_at - (date_trunc('day', claimed_at"
                        + " AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC') FROM checks WHERE type = 'iperf3'")) {
            while (rs.next()) {
                slips.add(rs.getDouble(1));
            }
        }
        double[] sorted = slips.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double slip = IPERF3_SLIP.toSeconds();
        double ks = 0;
        for (int i = 0; i < sorted.length; i++) {
            double f = Math.min(1, Math.max(0, sorted[i] / slip));
            ks = Math.max(ks, Math.max((i + 1) / (double) sorted.length - f, f - i / (double) sorted.length));
        }
        return new Spread(sorted.length, ks, sorted.length == 0 ? 0 : sorted[0],
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    /** Devices and checks as inventory's projections leave them: 2 checks per device, 100 organizations. */
    private static void load(int checks) throws Exception {
        int devices = checks / 2;
        UUID[] orgs = new UUID[100];
        Arrays.setAll(orgs, i -> UUID.randomUUID());
        Schedule ping = Schedule.ofInterval(Duration.ofMinutes(5));
        Schedule iperf3 = Schedule.ofCron("0 0 * * *", "UTC").withRandomSlip(IPERF3_SLIP);
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
                            + " snapshot, schedule, active, version, updated_at, next_run_at, interval_ms, slip_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, true, 1, ?, ?, ?, ?)")) {
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
                        // as the projection (CheckRepository.upsert) writes them beside the schedule JSON
                        Schedule schedule = isIperf3 ? iperf3 : ping;
                        k.setObject(9, schedule.interval() == null ? null : schedule.interval().toMillis(),
                                java.sql.Types.BIGINT);
                        k.setLong(10, schedule.randomSlip().toMillis());
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
     * Releases every claim, then makes all rows due at a random time within {@code spread}, starting {@code lead}
     * from now; returns each row's due time. Vacuumed and analysed in between, so all phases start alike.
     */
    private static Map<UUID, Instant> resetDue(Duration spread, Duration lead) throws Exception {
        BenchSupport.sql("UPDATE checks SET running_by = NULL, run_id = NULL, run_trigger = NULL, claimed_at = NULL,"
                + " heartbeat_at = NULL, request_id = NULL, next_run_at = now() + interval '1 day'");
        BenchSupport.sql("VACUUM ANALYZE checks");
        Map<UUID, Instant> due = new HashMap<>();
        try (Connection c = BenchSupport.db(); PreparedStatement ps = c.prepareStatement(
                "UPDATE checks SET next_run_at = clock_timestamp() + ? * interval '1 millisecond'"
                        + " + random() * ? * interval '1 millisecond' RETURNING id, next_run_at")) {
            ps.setLong(1, lead.toMillis());
            ps.setLong(2, spread.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.put((UUID) rs.getObject(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        BenchSupport.sql("ANALYZE checks");
        return due;
    }

    /**
     * The replicas claim as the engine does (until nothing is due, then sleep a poll interval): until every row is
     * claimed, or, with {@code duration}, for that long from the first due time (then only rows due before the end
     * count; one not claimed counts as late by the end).
     */
    private static Phase phase(String name, int checks, List<String> runnerIds, int batch, Duration pollInterval,
            ClaimLoop loop, Map<UUID, Instant> due, Duration duration) throws Exception {
        Instant firstDue = due.values().stream().min(Instant::compareTo).orElseThrow();
        Instant end = duration == null ? null : firstDue.plus(duration);
        Map<UUID, Instant> claimedAt = new ConcurrentHashMap<>(checks * 2);
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
                    while (claimed.get() < checks && System.nanoTime() < deadline
                            && (end == null || Instant.now().isBefore(end))) {
                        List<UUID> ids = loop.claim(replica, runnerIds.get(replica), batch);
                        Instant at = Instant.now();
                        if (ids.isEmpty()) {
                            if (claimed.get() >= checks) {
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
        Instant stop = Instant.now();
        List<Long> late = new ArrayList<>();
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (Map.Entry<UUID, Instant> e : due.entrySet()) {
            Instant at = claimedAt.get(e.getKey());
            if (end != null && !e.getValue().isBefore(end)) {
                continue; // due after the window
            }
            late.add(Duration.between(e.getValue(), at == null ? stop : at).toMillis());
            if (at != null) {
                first = at.isBefore(first) ? at : first;
                last = at.isAfter(last) ? at : last;
            }
        }
        long[] lateness = late.stream().mapToLong(Long::longValue).sorted().toArray();
        boolean any = !first.equals(Instant.MAX);
        double seconds = any ? Duration.between(first, last).toNanos() / 1e9 : 0;
        return new Phase(name, claimedAt.size(), (int) duplicates.get(), seconds, lateness, first, last,
                Duration.between(start, firstDue).toMillis(), any ? Duration.between(firstDue, last).toNanos() / 1e9 : 0);
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
