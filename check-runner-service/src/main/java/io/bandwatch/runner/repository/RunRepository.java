package io.bandwatch.runner.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.CheckResult;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The run history ({@code runs}): one row per finished run, written with the release of its claim and its result's
 * outbox row.
 */
@Singleton
public class RunRepository {

    /** A finished run: history row, and the claim released (only if it is still ours). */
    public record FinishedRun(UUID eventId, UUID checkId, UUID runId, UUID deviceId, UUID organizationId, String type,
            String trigger, String runnerId, Instant startedAt, Instant finishedAt, String status, String errorCode,
            String errorMessage, UUID serverId, String serverHost, Integer serverPort, Long fencingToken,
            Long leaseWaitMs, Instant leasedAt) {
    }

    public record RunRow(UUID eventId, UUID checkId, UUID deviceId, UUID organizationId, String type, String trigger,
            String runnerId, Instant startedAt, Instant finishedAt, long durationMs, String status, String errorCode,
            String errorMessage, UUID serverId, String serverHost, Integer serverPort, Long fencingToken) {
    }

    /** The last run of a device (for the fleet overview). */
    public record LastRun(UUID deviceId, UUID checkId, String checkType, String status, String errorCode,
            Instant finishedAt) {
    }

    private final Pool pool;

    @Inject
    public RunRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records the run, releases the check's claim and appends its result to the outbox ({@code check.results}, sent
     * by the relay after commit), in one transaction: the run is recorded and published together or not at all.
     * Nothing is written when the claim is held by another run (taken over after this replica's heartbeat went stale:
     * that run publishes the check's result); a check deleted meanwhile is still recorded and published. Blocking.
     *
     * @param traceparent the run span's W3C traceparent (the statements run on the pool's event loop, where the
     *                    run's span is not current), null outside a trace
     * @return false when the claim was held by another run and nothing was written
     */
    public boolean finish(FinishedRun run, CheckResult result, String traceparent) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                WITH released AS (
                    UPDATE checks SET running_by = NULL, run_id = NULL, run_trigger = NULL, claimed_at = NULL,
                        heartbeat_at = NULL, last_run_at = $3, last_status = $4, last_error_code = $5
                    WHERE id = $1 AND run_id = $2 RETURNING id)
                SELECT EXISTS (SELECT 1 FROM released) OR NOT EXISTS (SELECT 1 FROM checks WHERE id = $1) AS ours""")
                .execute(tuple(run.checkId(), run.runId(), odt(run.finishedAt()), run.status(), run.errorCode()))
                .flatMap(rows -> {
                    if (!rows.iterator().next().getBoolean("ours")) {
                        return Uni.createFrom().item(false);
                    }
                    return conn.preparedQuery("""
                            INSERT INTO runs (event_id, check_id, device_id, organization_id, type, run_trigger, runner_id,
                                started_at, finished_at, status, error_code, error_message, server_id, server_host,
                                server_port, fencing_token, lease_wait_ms, leased_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                            ON CONFLICT DO NOTHING""")
                            .execute(tuple(run.eventId(), run.checkId(), run.deviceId(), run.organizationId(), run.type(),
                                    run.trigger(), run.runnerId(), odt(run.startedAt()), odt(run.finishedAt()),
                                    run.status(), run.errorCode(), run.errorMessage(), run.serverId(), run.serverHost(),
                                    run.serverPort(), run.fencingToken(), run.leaseWaitMs(), odt(run.leasedAt())))
                            .flatMap(inserted -> Outbox.appendAll(InTransaction.of(conn), List.of(result), traceparent))
                            .replaceWith(true);
                }))
                .await().atMost(Sql.TIMEOUT);
    }

    private static RunRow row(Row r) {
        Instant started = instant(r, "started_at");
        Instant finished = instant(r, "finished_at");
        return new RunRow(r.getUUID("event_id"), r.getUUID("check_id"), r.getUUID("device_id"),
                r.getUUID("organization_id"), r.getString("type"), r.getString("run_trigger"), r.getString("runner_id"),
                started, finished, started == null || finished == null ? 0 : Duration.between(started, finished).toMillis(),
                r.getString("status"), r.getString("error_code"), r.getString("error_message"), r.getUUID("server_id"),
                r.getString("server_host"), r.getInteger("server_port"), r.getLong("fencing_token"));
    }

    /** One page of runs, newest first; {@code organizations} null for a caller who sees every organization. */
    public Uni<List<RunRow>> page(RunsQuery q, Collection<UUID> organizations) {
        RunsQuery.Cursor after = q.after();
        return pool.preparedQuery("""
                SELECT * FROM runs
                WHERE ($1::uuid IS NULL OR device_id = $1) AND ($2::uuid IS NULL OR check_id = $2)
                  AND ($3::uuid[] IS NULL OR organization_id = ANY($3))
                  AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR error_code = $5)
                  AND ($6::timestamptz IS NULL OR (started_at, event_id) < ($6, $7::uuid))
                ORDER BY started_at DESC, event_id DESC LIMIT $8""")
                .execute(tuple(q.deviceId(), q.checkId(), Sql.array(organizations), q.status(), q.errorCode(),
                        after == null ? null : odt(after.startedAt()), after == null ? null : after.eventId(), q.limit()))
                .map(rows -> {
                    List<RunRow> runs = new ArrayList<>();
                    rows.forEach(r -> runs.add(row(r)));
                    return runs;
                });
    }

    /** The last run of each of the devices, of the given organizations only (all when null). */
    public Uni<List<LastRun>> latestOfDevices(Collection<UUID> devices, Collection<UUID> organizations) {
        String sql = "SELECT DISTINCT ON (device_id) device_id, check_id, type, status, error_code, finished_at "
                + "FROM runs WHERE device_id = ANY($1)" + (organizations == null ? "" : " AND organization_id = ANY($2)")
                + " ORDER BY device_id, started_at DESC";
        Tuple args = organizations == null ? Tuple.of(Sql.array(devices))
                : Tuple.of(Sql.array(devices), Sql.array(organizations));
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<LastRun> runs = new ArrayList<>();
            rows.forEach(r -> runs.add(new LastRun(r.getUUID("device_id"), r.getUUID("check_id"), r.getString("type"),
                    r.getString("status"), r.getString("error_code"), instant(r, "finished_at"))));
            return runs;
        });
    }

    /** The last run of a check. */
    public Uni<Optional<RunRow>> lastOfCheck(UUID checkId) {
        return pool.preparedQuery("SELECT * FROM runs WHERE check_id = $1 ORDER BY started_at DESC LIMIT 1")
                .execute(tuple(checkId)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(row(r));
                    }
                    return Optional.<RunRow>empty();
                });
    }

    /**
     * Mean seconds from lease (or start) to finish of the iperf3 runs on a server over the last 7 days, of the given
     * organizations (all when null); empty when there was none.
     */
    public Uni<Optional<Double>> meanIperf3Seconds(Collection<UUID> organizations) {
        return pool.preparedQuery("SELECT avg(extract(epoch FROM finished_at - coalesce(leased_at, started_at))) AS s"
                + " FROM runs WHERE type = 'iperf3' AND server_id IS NOT NULL AND finished_at > now() - interval '7 days'"
                + (organizations == null ? "" : " AND organization_id = ANY($1)"))
                .execute(organizations == null ? Tuple.tuple() : tuple((Object) Sql.array(organizations)))
                .map(rows -> {
                    Object value = rows.iterator().next().getValue("s");
                    return value == null ? Optional.<Double>empty() : Optional.of(((Number) value).doubleValue());
                });
    }
}
