package io.bandwatch.runner.repository;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Iperf3ServerSnapshot;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.bandwatch.runner.schedule.NextRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The runner's database: projections of inventory's topics, the schedule rows with their claims, and the
 * run history. SQL on the reactive PostgreSQL pool; claims use {@code FOR UPDATE SKIP LOCKED} so any
 * number of runner replicas share the due rows without running one twice.
 */
public class RunnerStore {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(15);

    private final Pool pool;

    public RunnerStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }

    // ---------------------------------------------------------------- idempotency

    /** Records an event id in the same transaction; false when it was processed before ({@link MessageLog}). */
    private static Uni<Boolean> firstTime(SqlConnection conn, UUID eventId, String topic) {
        return MessageLog.firstTime(InTransaction.of(conn), eventId, topic);
    }

    // ---------------------------------------------------------------- projections

    public Uni<Void> upsertDevice(UUID eventId, String topic, DeviceSnapshot d) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        INSERT INTO devices (id, organization_id, name, address, ssh_port, ssh_user, auth_method,
                            host_key_fingerprint, enabled, version, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                        ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
                            address = EXCLUDED.address, ssh_port = EXCLUDED.ssh_port, ssh_user = EXCLUDED.ssh_user,
                            auth_method = EXCLUDED.auth_method, host_key_fingerprint = EXCLUDED.host_key_fingerprint,
                            enabled = EXCLUDED.enabled, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE devices.version < EXCLUDED.version""")
                        .execute(tuple(d.id(), d.organizationId(), d.name(), d.address(), d.sshPort(), d.sshUser(),
                                d.authMethod().jsonName(), d.hostKeyFingerprint(), d.enabled(), d.version(),
                                odt(d.updatedAt())))
                        .replaceWithVoid()));
    }

    public Uni<Void> deleteDevice(UUID id) {
        return pool.preparedQuery("DELETE FROM devices WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    public Uni<Void> upsertServer(UUID eventId, String topic, Iperf3ServerSnapshot s) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        INSERT INTO iperf3_servers (id, organization_ids, host, port, enabled, auth_required, version, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        ON CONFLICT (id) DO UPDATE SET organization_ids = EXCLUDED.organization_ids, host = EXCLUDED.host,
                            port = EXCLUDED.port, enabled = EXCLUDED.enabled, auth_required = EXCLUDED.auth_required,
                            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE iperf3_servers.version < EXCLUDED.version""")
                        .execute(tuple(s.id(), s.organizationIds().toArray(new UUID[0]), s.host(), s.port(), s.enabled(),
                                s.authRequired(), s.version(), odt(s.updatedAt())))
                        .replaceWithVoid()));
    }

    public Uni<Void> deleteServer(UUID id) {
        return pool.preparedQuery("DELETE FROM iperf3_servers WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    public Uni<Void> upsertCheck(UUID eventId, String topic, CheckSnapshot c) {
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

    public Uni<Void> deleteCheck(UUID id) {
        return pool.preparedQuery("DELETE FROM checks WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** Marks a pending on-demand run; false when the check is unknown or inactive (the request is dropped). */
    public Uni<Boolean> requestRun(UUID eventId, String topic, UUID checkId, String requestedBy) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().item(false)
                : conn.preparedQuery("UPDATE checks SET request_id = $2, requested_by = $3 WHERE id = $1 AND active")
                        .execute(tuple(checkId, eventId, requestedBy)).map(rows -> rows.rowCount() == 1)));
    }

    // ---------------------------------------------------------------- claims

    /** A claimed run. */
    public record Claim(UUID checkId, UUID runId, String trigger, String snapshotJson) {
        public CheckSnapshot snapshot() {
            return EventJson.read(snapshotJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), CheckSnapshot.class);
        }
    }

    /**
     * Claims up to {@code limit} runs in one transaction: due rows (next run passed), requested rows, and rows
     * whose claiming runner stopped sending heartbeats for longer than {@code heartbeatTimeout}. A due row gets
     * its next run time in the same transaction.
     */
    public List<Claim> claim(String runnerId, int limit, Duration heartbeatTimeout) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                SELECT c.id, c.snapshot, c.schedule, c.next_run_at, c.request_id, c.running_by, c.run_trigger
                FROM checks c JOIN devices d ON d.id = c.device_id
                WHERE c.active AND d.enabled AND (
                      (c.running_by IS NULL AND (c.next_run_at <= $1 OR c.request_id IS NOT NULL))
                   OR (c.running_by IS NOT NULL AND c.heartbeat_at < $2))
                ORDER BY c.next_run_at
                LIMIT $3
                FOR UPDATE OF c SKIP LOCKED""")
                .execute(tuple(odt(now), odt(now.minus(heartbeatTimeout)), limit))
                .flatMap(rows -> {
                    List<Uni<Claim>> updates = new ArrayList<>();
                    for (Row row : rows) {
                        updates.add(claimOne(conn, row, runnerId, now));
                    }
                    return updates.isEmpty() ? Uni.createFrom().item(List.<Claim>of())
                            : Uni.join().all(updates).andFailFast();
                }))
                .await().atMost(DB_TIMEOUT);
    }

    private Uni<Claim> claimOne(SqlConnection conn, Row row, String runnerId, Instant now) {
        UUID id = row.getUUID("id");
        UUID runId = UUID.randomUUID();
        String snapshot = row.getString("snapshot");
        boolean takeover = row.getString("running_by") != null;
        Instant nextRunAt = instant(row, "next_run_at");
        String trigger;
        Instant next = nextRunAt;
        boolean clearRequest;
        if (takeover) {
            trigger = "takeover";
            clearRequest = false;
        } else if (!nextRunAt.isAfter(now)) {
            trigger = "schedule";
            io.bandwatch.events.Schedule schedule = EventJson.read(
                    row.getString("schedule").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    io.bandwatch.events.Schedule.class);
            next = NextRun.next(schedule, now);
            clearRequest = true; // a pending request is served by this run
        } else {
            trigger = "request";
            clearRequest = true;
        }
        String finalTrigger = trigger;
        return conn.preparedQuery("""
                UPDATE checks SET running_by = $2, run_id = $3, run_trigger = $4, claimed_at = $5, heartbeat_at = $5,
                    next_run_at = $6, request_id = CASE WHEN $7 THEN NULL ELSE request_id END
                WHERE id = $1""")
                .execute(tuple(id, runnerId, runId, trigger, odt(now), odt(next), clearRequest))
                .map(r -> new Claim(id, runId, finalTrigger, snapshot));
    }

    /** Refreshes the heartbeat of this runner's runs in progress. */
    public void heartbeat(String runnerId, List<UUID> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        pool.preparedQuery("UPDATE checks SET heartbeat_at = now() WHERE running_by = $1 AND run_id = ANY($2)")
                .execute(tuple(runnerId, runIds.toArray(new UUID[0]))).await().atMost(DB_TIMEOUT);
    }

    /** A finished run: history row, and the claim released (only if it is still ours). */
    public record FinishedRun(UUID eventId, UUID checkId, UUID runId, UUID deviceId, UUID organizationId, String type,
            String trigger, String runnerId, Instant startedAt, Instant finishedAt, String status, String errorCode,
            String errorMessage, UUID serverId, String serverHost, Integer serverPort, Long fencingToken,
            Long leaseWaitMs, Instant leasedAt) {
    }

    public void finish(FinishedRun run) {
        pool.withTransaction(conn -> conn.preparedQuery("""
                INSERT INTO runs (event_id, check_id, device_id, organization_id, type, run_trigger, runner_id,
                    started_at, finished_at, status, error_code, error_message, server_id, server_host, server_port,
                    fencing_token, lease_wait_ms, leased_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                ON CONFLICT DO NOTHING""")
                .execute(tuple(run.eventId(), run.checkId(), run.deviceId(), run.organizationId(), run.type(),
                        run.trigger(), run.runnerId(), odt(run.startedAt()), odt(run.finishedAt()), run.status(),
                        run.errorCode(), run.errorMessage(), run.serverId(), run.serverHost(), run.serverPort(),
                        run.fencingToken(), run.leaseWaitMs(), odt(run.leasedAt())))
                .flatMap(x -> conn.preparedQuery("""
                        UPDATE checks SET running_by = NULL, run_id = NULL, run_trigger = NULL, claimed_at = NULL,
                            heartbeat_at = NULL, last_run_at = $3, last_status = $4, last_error_code = $5
                        WHERE id = $1 AND run_id = $2""")
                        .execute(tuple(run.checkId(), run.runId(), odt(run.finishedAt()), run.status(), run.errorCode())))
                .replaceWithVoid())
                .await().atMost(DB_TIMEOUT);
    }

    // ---------------------------------------------------------------- reads

    public record DeviceRow(UUID id, UUID organizationId, String name, String address, int sshPort, String sshUser,
            String authMethod, String hostKeyFingerprint, boolean enabled) {
    }

    public record ServerRow(UUID id, List<UUID> organizationIds, String host, int port, boolean enabled,
            boolean authRequired) {
    }

    public Optional<DeviceRow> device(UUID id) {
        RowSet<Row> rows = pool.preparedQuery("SELECT * FROM devices WHERE id = $1").execute(tuple(id))
                .await().atMost(DB_TIMEOUT);
        for (Row r : rows) {
            return Optional.of(new DeviceRow(r.getUUID("id"), r.getUUID("organization_id"), r.getString("name"),
                    r.getString("address"), r.getInteger("ssh_port"), r.getString("ssh_user"),
                    r.getString("auth_method"), r.getString("host_key_fingerprint"), r.getBoolean("enabled")));
        }
        return Optional.empty();
    }

    /** Records the fingerprint seen on first use locally (inventory's snapshot follows). */
    public void pinHostKey(UUID deviceId, String fingerprint) {
        pool.preparedQuery("UPDATE devices SET host_key_fingerprint = $2 WHERE id = $1 AND host_key_fingerprint IS NULL")
                .execute(tuple(deviceId, fingerprint)).await().atMost(DB_TIMEOUT);
    }

    private static ServerRow server(Row r) {
        UUID[] orgs = r.getArrayOfUUIDs("organization_ids");
        return new ServerRow(r.getUUID("id"), orgs == null ? List.of() : List.of(orgs), r.getString("host"),
                r.getInteger("port"), r.getBoolean("enabled"), r.getBoolean("auth_required"));
    }

    public List<ServerRow> serversOfOrganization(UUID organizationId) {
        List<ServerRow> servers = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM iperf3_servers WHERE enabled AND $1 = ANY(organization_ids) ORDER BY host, port, id")
                .execute(tuple(organizationId)).await().atMost(DB_TIMEOUT).forEach(r -> servers.add(server(r)));
        return servers;
    }

    /** The servers on {@code host} that are registered for {@code organization}, enabled ones first. */
    public List<ServerRow> serversByHost(String host, UUID organization) {
        List<ServerRow> servers = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM iperf3_servers WHERE host = $1 AND $2 = ANY(organization_ids) "
                + "ORDER BY enabled DESC, id")
                .execute(tuple(host, organization)).await().atMost(DB_TIMEOUT).forEach(r -> servers.add(server(r)));
        return servers;
    }

    /** Servers visible to the given organizations (all when null). */
    public Uni<List<ServerRow>> servers(java.util.Collection<UUID> organizations) {
        String sql = organizations == null ? "SELECT * FROM iperf3_servers ORDER BY host, port, id"
                : "SELECT * FROM iperf3_servers WHERE organization_ids && $1 ORDER BY host, port, id";
        Tuple args = organizations == null ? Tuple.tuple() : tuple((Object) organizations.toArray(new UUID[0]));
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<ServerRow> servers = new ArrayList<>();
            rows.forEach(r -> servers.add(server(r)));
            return servers;
        });
    }

    public record RunRow(UUID eventId, UUID checkId, UUID deviceId, UUID organizationId, String type, String trigger,
            String runnerId, Instant startedAt, Instant finishedAt, long durationMs, String status, String errorCode,
            String errorMessage, UUID serverId, String serverHost, Integer serverPort, Long fencingToken) {
    }

    /** One page of runs, newest first; {@code organizations} null for a caller who sees every organization. */
    public Uni<List<RunRow>> runs(RunsQuery q, java.util.Collection<UUID> organizations) {
        RunsQuery.Cursor after = q.after();
        return pool.preparedQuery("""
                SELECT * FROM runs
                WHERE ($1::uuid IS NULL OR device_id = $1) AND ($2::uuid IS NULL OR check_id = $2)
                  AND ($3::uuid[] IS NULL OR organization_id = ANY($3))
                  AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR error_code = $5)
                  AND ($6::timestamptz IS NULL OR (started_at, event_id) < ($6, $7::uuid))
                ORDER BY started_at DESC, event_id DESC LIMIT $8""")
                .execute(tuple(q.deviceId(), q.checkId(), organizations == null ? null : organizations.toArray(new UUID[0]),
                        q.status(), q.errorCode(), after == null ? null : odt(after.startedAt()),
                        after == null ? null : after.eventId(), q.limit()))
                .map(rows -> {
                    List<RunRow> runs = new ArrayList<>();
                    for (Row r : rows) {
                        Instant started = instant(r, "started_at");
                        Instant finished = instant(r, "finished_at");
                        runs.add(new RunRow(r.getUUID("event_id"), r.getUUID("check_id"), r.getUUID("device_id"),
                                r.getUUID("organization_id"), r.getString("type"), r.getString("run_trigger"),
                                r.getString("runner_id"), started, finished, Duration.between(started, finished).toMillis(),
                                r.getString("status"), r.getString("error_code"), r.getString("error_message"),
                                r.getUUID("server_id"), r.getString("server_host"), r.getInteger("server_port"),
                                r.getLong("fencing_token")));
                    }
                    return runs;
                });
    }

    public record ScheduleRow(UUID checkId, UUID organizationId, UUID deviceId, String type, boolean active,
            String schedule, Instant nextRunAt, boolean requested, String runningBy, Instant claimedAt,
            Instant heartbeatAt, Instant lastRunAt, String lastStatus, String lastErrorCode) {
    }

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

    /** The organization of a device, if known. */
    public Uni<Optional<UUID>> organizationOfDevice(UUID deviceId) {
        return pool.preparedQuery("SELECT organization_id FROM devices WHERE id = $1").execute(tuple(deviceId))
                .map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(r.getUUID("organization_id"));
                    }
                    return Optional.<UUID>empty();
                });
    }
}
