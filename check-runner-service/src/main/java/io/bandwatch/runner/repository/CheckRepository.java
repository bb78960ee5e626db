package io.bandwatch.runner.repository;

import static io.bandwatch.runner.repository.Sql.firstTime;
import static io.bandwatch.runner.repository.Sql.instant;
import static io.bandwatch.runner.repository.Sql.odt;
import static io.bandwatch.runner.repository.Sql.tuple;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Schedule;
import io.bandwatch.runner.schedule.NextRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
import java.util.Optional;
import java.util.UUID;

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
                            updated_at, next_run_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id,
                            device_id = EXCLUDED.device_id, type = EXCLUDED.type, snapshot = EXCLUDED.snapshot,
                            schedule = EXCLUDED.schedule, active = EXCLUDED.active, version = EXCLUDED.version,
                            updated_at = EXCLUDED.updated_at,
                            next_run_at = CASE WHEN checks.schedule = EXCLUDED.schedule THEN checks.next_run_at
                                               ELSE EXCLUDED.next_run_at END
                        WHERE checks.version < EXCLUDED.version""")
                        .execute(tuple(c.id(), c.organizationId(), c.deviceId(), c.type().jsonName(),
                                EventJson.writeString(c), schedule, c.active(), c.version(), odt(c.updatedAt()),
                                odt(next)))
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

    /**
     * Claims up to {@code limit} runs in one transaction: due rows (next run passed), requested rows, and rows
     * whose claiming runner stopped sending heartbeats for longer than {@code heartbeatTimeout}. A due row gets
     * its next run time in the same transaction. Two statements whatever the batch size: the locking
     * {@code SELECT}, then one {@code UPDATE} of every claimed row from arrays. Blocking: from the claim loop.
     */
    public List<Claim> claim(String runnerId, int limit, Duration heartbeatTimeout) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                SELECT c.id, c.snapshot, c.schedule, c.next_run_at, c.running_by,
                       CASE WHEN c.request_id IS NOT NULL THEN c.request_trace_parent END AS trace_parent
                FROM checks c JOIN devices d ON d.id = c.device_id
                WHERE c.active AND d.enabled AND (
                      (c.running_by IS NULL AND (c.next_run_at <= $1 OR c.request_id IS NOT NULL))
                   OR (c.running_by IS NOT NULL AND c.heartbeat_at < $2))
                ORDER BY c.next_run_at
                LIMIT $3
                FOR UPDATE OF c SKIP LOCKED""")
                .execute(tuple(odt(now), odt(now.minus(heartbeatTimeout)), limit))
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
