package io.bandwatch.runner.repository;

import static io.bandwatch.runner.repository.Sql.firstTime;
import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Schedule;
import io.bandwatch.runner.schedule.NextRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks aggregate ({@code checks}): inventory's check snapshots with their schedule, pending "run now"
 * requests and the claim of the run in progress. Claims use {@code FOR UPDATE SKIP LOCKED} so any number of
 * runner replicas share the due rows without running one twice.
 */
@Singleton
public class CheckRepository {

    /** A claimed run; {@code traceParent}: the trace of the "run now" request it serves (null for none). */
    public record Claim(UUID checkId, UUID runId, String trigger, String snapshotJson, String traceParent) {
        public CheckSnapshot snapshot() {
            return EventJson.read(snapshotJson.getBytes(StandardCharsets.UTF_8), CheckSnapshot.class);
        }
    }

    public record ScheduleRow(UUID checkId, UUID organizationId, UUID deviceId, String type, boolean active,
            String schedule, Instant nextRunAt, boolean requested, String runningBy, Instant claimedAt,
            Instant heartbeatAt, Instant lastRunAt, String lastStatus, String lastErrorCode) {
    }

    /** What the live state of a check reads: its organization, a pending request, the claim of its run. */
    public record ClaimRow(UUID organizationId, boolean requested, String runningBy, UUID runId, Instant claimedAt) {
    }

    private final Pool pool;

    @Inject
    public CheckRepository(Pool pool) {
        this.pool = pool;
    }

    // ---------------------------------------------------------------- projection

    /** Upserts when the version is newer (a changed schedule gets a new next run); idempotent by event id. */
    public Uni<Void> upsert(UUID eventId, String topic, CheckSnapshot c) {
        String schedule = EventJson.writeString(c.schedule());
        Instant next = NextRun.next(c.schedule(), Instant.now());
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        INSERT INTO checks (id, organization_id, device_id, type, snapshot, schedule, active, version,
                            updated_at, next_run_at, interval_ms, slip_ms)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                        ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id,
                            device_id = EXCLUDED.device_id, type = EXCLUDED.type, snapshot = EXCLUDED.snapshot,
                            schedule = EXCLUDED.schedule, active = EXCLUDED.active, version = EXCLUDED.version,
                            updated_at = EXCLUDED.updated_at, interval_ms = EXCLUDED.interval_ms,
                            slip_ms = EXCLUDED.slip_ms,
                            next_run_at = CASE WHEN checks.schedule = EXCLUDED.schedule THEN checks.next_run_at
                                               ELSE EXCLUDED.next_run_at END
                        WHERE checks.version < EXCLUDED.version""")
                        .execute(tuple(c.id(), c.organizationId(), c.deviceId(), c.type().jsonName(),
                                EventJson.writeString(c), schedule, c.active(), c.version(), odt(c.updatedAt()),
                                odt(next), c.schedule().interval() == null ? null : c.schedule().interval().toMillis(),
                                c.schedule().randomSlip().toMillis()))
                        .replaceWithVoid()));
    }

    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM checks WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /**
     * Marks a pending on-demand run with the request's trace context ({@code traceParent}, null for none); false when
     * the check is unknown or inactive (the request is dropped).
     */
    public Uni<Boolean> requestRun(UUID eventId, String topic, UUID checkId, String requestedBy, String traceParent) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().item(false)
                : conn.preparedQuery("UPDATE checks SET request_id = $2, requested_by = $3, request_trace_parent = $4"
                        + " WHERE id = $1 AND active")
                        .execute(tuple(checkId, eventId, requestedBy, traceParent)).map(rows -> rows.rowCount() == 1)));
    }

    // ---------------------------------------------------------------- claims

    /** Cron schedules (JSON) this replica has claimed before, with their next nominal time (see {@link #claim}). */
    private final Map<String, Instant> cronNominals = new ConcurrentHashMap<>();
    /** Bound of {@link #cronNominals}: they travel with every claim (inventory's defaults make a handful). */
    static final int CRON_SCHEDULES_PASSED = 64;

    /**
     * Claims up to {@code limit} runs: due rows first, then pending "run now" requests and rows whose claiming runner
     * stopped sending heartbeats for longer than {@code heartbeatTimeout} (taken over). Blocking: from the claim loop.
     * <p>
     * Due rows are claimed by one statement ({@code UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}, one
     * round trip): PostgreSQL sets the claim, a run id and the next run: now + interval for an interval schedule, the
     * next nominal time this replica passes for a cron schedule it knows (computed in Java once per schedule and
     * nominal time, not per row), plus the random slip. A due row of a cron schedule not known yet keeps its
     * next_run_at in that statement; Java computes it and writes it right after (then the schedule is known). Should
     * the replica die between the two, the takeover sees next_run_at not after the claim and computes it.
     * Requests and takeovers (rare) are looked up only when fewer than {@code limit} rows were due, through their
     * own partial indexes.
     */
    public List<Claim> claim(String runnerId, int limit, Duration heartbeatTimeout) {
        return claim(runnerId, limit, heartbeatTimeout, Set.of());
    }

    /**
     * As {@link #claim(String, int, Duration)}, and the claims of {@code deadRunners} (replicas known to be dead, see
     * {@code LeaseManager.deadAmong}) are taken over at once, whatever the age of their heartbeat.
     */
    public List<Claim> claim(String runnerId, int limit, Duration heartbeatTimeout, Set<String> deadRunners) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        List<Claim> claims = claimDue(runnerId, limit, now);
        if (claims.size() < limit) {
            List<Claim> more = claimRequestsAndTakeovers(runnerId, limit - claims.size(), heartbeatTimeout, now,
                    deadRunners);
            if (!more.isEmpty()) {
                claims = new ArrayList<>(claims);
                claims.addAll(more);
            }
        }
        return claims;
    }

    private List<Claim> claimDue(String runnerId, int limit, Instant now) {
        List<String> schedules = new ArrayList<>(cronNominals.size());
        List<OffsetDateTime> nominals = new ArrayList<>(cronNominals.size());
        for (Map.Entry<String, Instant> e : cronNominals.entrySet()) {
            Instant nominal = e.getValue();
            if (!nominal.isAfter(now)) {
                nominal = NextRun.nominal(NextRun.parse(e.getKey()), now);
                e.setValue(nominal);
            }
            schedules.add(e.getKey());
            nominals.add(odt(nominal));
        }
        List<Claim> claims = new ArrayList<>(limit);
        List<UUID> pendingIds = new ArrayList<>();
        List<String> pendingSchedules = new ArrayList<>();
        // the limit is written into the statement (an int, one cached statement per batch size): with LIMIT $n the
        // generic plan expects 10 % of the table, so PostgreSQL would plan the cached statement anew at every claim
        RowSet<Row> rows = pool.preparedQuery("""
                WITH due AS (
                    SELECT c.id, c.request_id IS NOT NULL AS requested FROM checks c
                    WHERE c.active AND c.device_enabled AND c.running_by IS NULL AND c.next_run_at <= $1::timestamptz
                    ORDER BY c.next_run_at
                    LIMIT %d
                    FOR UPDATE OF c SKIP LOCKED)
                UPDATE checks c SET running_by = $2::text, run_id = gen_random_uuid(), run_trigger = 'schedule',
                    claimed_at = $1::timestamptz, heartbeat_at = $1::timestamptz, request_id = NULL,
                    next_run_at = coalesce(coalesce($1::timestamptz + c.interval_ms * interval '1 millisecond',
                            (SELECT n.at FROM unnest($3::text[], $4::timestamptz[]) AS n(schedule, at)
                             WHERE n.schedule = c.schedule))
                        + floor(random() * (c.slip_ms + 1)) * interval '1 millisecond', c.next_run_at)
                FROM due
                WHERE c.id = due.id
                RETURNING c.id, c.run_id, c.snapshot, CASE WHEN c.next_run_at <= $1::timestamptz THEN c.schedule END AS pending,
                    CASE WHEN due.requested THEN c.request_trace_parent END AS trace_parent""".formatted(limit))
                .execute(Tuple.tuple().addOffsetDateTime(odt(now)).addString(runnerId)
                        .addArrayOfString(schedules.toArray(new String[0]))
                        .addArrayOfOffsetDateTime(nominals.toArray(new OffsetDateTime[0])))
                .await().atMost(Sql.TIMEOUT);
        for (Row row : rows) {
            UUID id = row.getUUID("id");
            claims.add(new Claim(id, row.getUUID("run_id"), "schedule", row.getString("snapshot"), row.getString("trace_parent")));
            String pending = row.getString("pending");
            if (pending != null) {
                pendingIds.add(id);
                pendingSchedules.add(pending);
            }
        }
        if (!pendingIds.isEmpty()) {
            // cron schedules met for the first time: their next run from Java, and known from now on
            OffsetDateTime[] nexts = new OffsetDateTime[pendingIds.size()];
            for (int i = 0; i < nexts.length; i++) {
                String schedule = pendingSchedules.get(i);
                Schedule parsed = NextRun.parse(schedule);
                nexts[i] = odt(NextRun.next(parsed, now));
                if (cronNominals.size() >= CRON_SCHEDULES_PASSED && !cronNominals.containsKey(schedule)) {
                    cronNominals.clear();
                }
                cronNominals.putIfAbsent(schedule, NextRun.nominal(parsed, now));
            }
            pool.preparedQuery("""
                    UPDATE checks c SET next_run_at = u.next_run_at
                    FROM unnest($2::uuid[], $3::timestamptz[]) AS u(id, next_run_at)
                    WHERE c.id = u.id AND c.running_by = $1 AND c.next_run_at <= c.claimed_at""")
                    .execute(Tuple.tuple().addString(runnerId).addArrayOfUUID(pendingIds.toArray(new UUID[0]))
                            .addArrayOfOffsetDateTime(nexts))
                    .await().atMost(Sql.TIMEOUT);
        }
        return claims;
    }

    /** Pending requests and stale claims: the locking {@code SELECT}, then one {@code UPDATE} from arrays. */
    private List<Claim> claimRequestsAndTakeovers(String runnerId, int limit, Duration heartbeatTimeout, Instant now,
            Set<String> deadRunners) {
        // the dead replicas' term is added only while some replica is known dead: as an OR beside the heartbeat's
        // range in every look, it would make each look walk all claimed rows of checks_claimed, not its stale end
        Tuple args = Tuple.tuple().addOffsetDateTime(odt(now.minus(heartbeatTimeout))).addInteger(limit);
        if (!deadRunners.isEmpty()) {
            args.addArrayOfString(deadRunners.toArray(new String[0]));
        }
        return pool.withTransaction(conn -> conn.preparedQuery("""
                SELECT c.id, c.snapshot, c.schedule, c.next_run_at, c.running_by, c.claimed_at,
                       CASE WHEN c.request_id IS NOT NULL THEN c.request_trace_parent END AS trace_parent
                FROM checks c
                WHERE c.active AND c.device_enabled AND (
                      (c.running_by IS NULL AND c.request_id IS NOT NULL)
                   OR (c.running_by IS NOT NULL AND c.heartbeat_at < $1)"""
                + (deadRunners.isEmpty() ? "" : "\n   OR (c.running_by IS NOT NULL AND c.running_by = ANY($3::text[]))") + """
                )
                ORDER BY c.next_run_at
                LIMIT $2
                FOR UPDATE OF c SKIP LOCKED""")
                .execute(args)
                .flatMap(rows -> {
                    int n = rows.rowCount();
                    if (n == 0) {
                        return Uni.createFrom().item(List.<Claim>of());
                    }
                    List<Claim> claims = new ArrayList<>(n);
                    UUID[] ids = new UUID[n];
                    UUID[] runIds = new UUID[n];
                    String[] triggers = new String[n];
                    OffsetDateTime[] nexts = new OffsetDateTime[n];
                    Boolean[] clear = new Boolean[n];
                    int i = 0;
                    for (Row row : rows) {
                        ids[i] = row.getUUID("id");
                        runIds[i] = UUID.randomUUID();
                        Instant nextRunAt = instant(row, "next_run_at");
                        Instant next = nextRunAt;
                        if (row.getString("running_by") != null) {
                            triggers[i] = "takeover";
                            clear[i] = false;
                            Instant claimedAt = instant(row, "claimed_at");
                            if (claimedAt != null && !nextRunAt.isAfter(claimedAt)) {
                                // its claim died before the next run was written (see claim)
                                next = NextRun.next(NextRun.parse(row.getString("schedule")), now);
                            }
                        } else if (!nextRunAt.isAfter(now)) {
                            triggers[i] = "schedule";
                            next = NextRun.next(NextRun.parse(row.getString("schedule")), now);
                            clear[i] = true; // a pending request is served by this run
                        } else {
                            triggers[i] = "request";
                            clear[i] = true;
                        }
                        nexts[i] = odt(next);
                        claims.add(new Claim(ids[i], runIds[i], triggers[i], row.getString("snapshot"),
                                row.getString("trace_parent")));
                        i++;
                    }
                    return conn.preparedQuery("""
                            UPDATE checks c SET running_by = $1, run_id = u.run_id, run_trigger = u.run_trigger,
                                claimed_at = $2, heartbeat_at = $2, next_run_at = u.next_run_at,
                                request_id = CASE WHEN u.clear_request THEN NULL ELSE c.request_id END
                            FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::boolean[])
                                AS u(id, run_id, run_trigger, next_run_at, clear_request)
                            WHERE c.id = u.id""")
                            .execute(Tuple.tuple().addString(runnerId).addOffsetDateTime(odt(now)).addArrayOfUUID(ids)
                                    .addArrayOfUUID(runIds).addArrayOfString(triggers)
                                    .addArrayOfOffsetDateTime(nexts).addArrayOfBoolean(clear))
                            .replaceWith(claims);
                }))
                .await().atMost(Sql.TIMEOUT);
    }

    /**
     * The other replicas that hold claims whose heartbeat is older than {@code olderThan} (a live replica refreshes
     * its heartbeat every interval): the ones whose liveness is worth asking about. Blocking.
     */
    public List<String> claimantsBehind(String runnerId, Instant olderThan) {
        List<String> names = new ArrayList<>();
        pool.preparedQuery("SELECT DISTINCT running_by FROM checks WHERE running_by IS NOT NULL AND heartbeat_at < $1"
                + " AND running_by <> $2").execute(Tuple.tuple().addOffsetDateTime(odt(olderThan)).addString(runnerId))
                .await().atMost(Sql.TIMEOUT).forEach(r -> names.add(r.getString("running_by")));
        return names;
    }

    /** Refreshes the heartbeat of this runner's runs in progress. Blocking. */
    public void heartbeat(String runnerId, List<UUID> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        pool.preparedQuery("UPDATE checks SET heartbeat_at = now() WHERE running_by = $1 AND run_id = ANY($2)")
                .execute(tuple(runnerId, runIds.toArray(new UUID[0]))).await().atMost(Sql.TIMEOUT);
    }

    // ---------------------------------------------------------------- reads

    public Uni<Optional<ScheduleRow>> schedule(UUID checkId) {
        return pool.preparedQuery("SELECT * FROM checks WHERE id = $1").execute(tuple(checkId)).map(rows -> {
            for (Row r : rows) {
                return Optional.of(new ScheduleRow(r.getUUID("id"), r.getUUID("organization_id"), r.getUUID("device_id"),
                        r.getString("type"), r.getBoolean("active"), r.getString("schedule"), instant(r, "next_run_at"),
                        r.getUUID("request_id") != null, r.getString("running_by"), instant(r, "claimed_at"),
                        instant(r, "heartbeat_at"), instant(r, "last_run_at"), r.getString("last_status"),
                        r.getString("last_error_code")));
            }
            return Optional.<ScheduleRow>empty();
        });
    }

    /** The claim of a check's run in progress, if the check exists. */
    public Uni<Optional<ClaimRow>> claimOf(UUID checkId) {
        return pool.preparedQuery("SELECT organization_id, request_id, running_by, run_id, claimed_at FROM checks"
                + " WHERE id = $1").execute(tuple(checkId)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(new ClaimRow(r.getUUID("organization_id"), r.getUUID("request_id") != null,
                                r.getString("running_by"), r.getUUID("run_id"), instant(r, "claimed_at")));
                    }
                    return Optional.<ClaimRow>empty();
                });
    }

    /**
     * Checks due now and not claimed yet, of enabled devices (a pending "run now" included): the due-check backlog
     * of all replicas. Two index range scans (the due part of {@code checks_due}, {@code checks_requested}).
     */
    public Uni<Long> dueBacklog() {
        return pool.query("""
                SELECT (SELECT count(*) FROM checks c
                        WHERE c.active AND c.device_enabled AND c.running_by IS NULL AND c.next_run_at <= now())
                     + (SELECT count(*) FROM checks c
                        WHERE c.active AND c.device_enabled AND c.running_by IS NULL AND c.request_id IS NOT NULL
                          AND c.next_run_at > now()) AS due""")
                .execute().map(rows -> rows.iterator().next().getLong("due"));
    }

    /** The schedules (JSON) of the active iperf3 checks of the given organizations (all when null). */
    public Uni<List<String>> activeIperf3Schedules(Collection<UUID> organizations) {
        return pool.preparedQuery("SELECT schedule FROM checks WHERE active AND type = 'iperf3'"
                + (organizations == null ? "" : " AND organization_id = ANY($1)"))
                .execute(organizations == null ? Tuple.tuple() : tuple((Object) Sql.array(organizations)))
                .map(rows -> {
                    List<String> schedules = new ArrayList<>();
                    rows.forEach(r -> schedules.add(r.getString("schedule")));
                    return schedules;
                });
    }
}
