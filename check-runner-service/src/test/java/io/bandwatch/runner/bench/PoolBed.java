package io.bandwatch.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3ServerSnapshot;
import io.bandwatch.events.Schedule;
import io.bandwatch.events.SshAuthMethod;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.runner.client.RunSecrets;
import io.bandwatch.runner.client.SecretsSource;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.it.Harness;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.ping.FpingRunner;
import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.DeviceRepository;
import io.bandwatch.runner.repository.RunRepository;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.runner.service.CheckRunner;
import io.bandwatch.runner.service.RunnerEngine;
import io.bandwatch.runner.ssh.SshClient;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the server pool benches share: the test bed's servers and devices projected into the bench database with the
 * runner's projection code (one iperf3 check per device on the organization's pool), the run secrets from the bed's
 * files, a runner replica wired as CDI wires the service's (its outbox relay included), the results it published
 * (outbox rows the relay sent), the run history and its lease intervals.
 */
final class PoolBed {

    static final Schedule YEARLY = Schedule.ofCron("0 0 1 1 *", "UTC");

    private PoolBed() {
    }

    /**
     * The projected bed: organization, server ids, one check per device (in device order) and its run secrets, and
     * how long the bed took to come up.
     */
    record Projected(UUID org, List<UUID> servers, List<UUID> checks, Map<UUID, RunSecrets> secrets, double bedSeconds) {
    }

    /**
     * Starts a test bed of {@code devices} devices and {@code servers} iperf3 servers (state folder {@code target/<folder>},
     * bed {@code BANDWATCH_TESTBED_ID}) and projects it: inventory's view of the bed, through the runner's projection
     * code, each device with one iperf3 check of {@code testSeconds} per mode.
     */
    static Projected startAndProject(String folder, Pool pool, int devices, int servers, int testSeconds)
            throws Exception {
        long bedStart = System.nanoTime();
        Harness.startBed(folder, "--devices", Integer.toString(devices), "--servers", Integer.toString(servers));
        double bedSeconds = (System.nanoTime() - bedStart) / 1e9;
        pool.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10));
        DeviceRepository deviceRepository = new DeviceRepository(pool);
        ServerRepository serverRepository = new ServerRepository(pool);
        CheckRepository checkRepository = new CheckRepository(pool);
        UUID org = UUID.randomUUID();
        List<UUID> serverIds = new ArrayList<>();
        for (int j = 1; j <= servers; j++) {
            JsonNode s = Harness.server(j);
            UUID id = UUID.randomUUID();
            serverRepository.upsert(UUID.randomUUID(), "bench", new Iperf3ServerSnapshot(id, List.of(org),
                    s.get("address").asText(), s.get("port").asInt(), true, false, 1, Instant.now()))
                    .await().atMost(Duration.ofSeconds(10));
            serverIds.add(id);
        }
        List<UUID> checks = new ArrayList<>();
        Map<UUID, RunSecrets> secrets = new LinkedHashMap<>();
        for (int i = 1; i <= devices; i++) {
            JsonNode d = Harness.device(i);
            UUID device = UUID.randomUUID();
            String fingerprint = d.get("host_key_fingerprint").asText();
            deviceRepository.upsert(UUID.randomUUID(), "bench", new DeviceSnapshot(device, org, d.get("name").asText(),
                    d.get("address").asText(), d.get("ssh_port").asInt(), d.get("user").asText(), SshAuthMethod.KEY,
                    fingerprint, List.of("bench"), true, 1, Instant.now())).await().atMost(Duration.ofSeconds(10));
            UUID check = UUID.randomUUID();
            Iperf3Options options = new Iperf3Options(List.of(), Iperf3Options.ClientOptions.of(null, testSeconds,
                    null, null, null, null, null, null, null, null, null), null);
            checkRepository.upsert(UUID.randomUUID(), "bench", new CheckSnapshot(check, org, device, CheckType.IPERF3,
                    YEARLY, true, 1, Instant.now(), options, null)).await().atMost(Duration.ofSeconds(10));
            secrets.put(check, new RunSecrets(device, new RunSecrets.Ssh(d.get("user").asText(), "key",
                    Files.readString(Path.of(d.get("ed25519_key").asText())), null, fingerprint), null));
            checks.add(check);
        }
        return new Projected(org, serverIds, checks, secrets, bedSeconds);
    }

    /** Makes the checks due at {@code due}. */
    static void makeDue(List<UUID> checks, Instant due) throws Exception {
        try (Connection c = BenchSupport.db(); PreparedStatement ps = c.prepareStatement(
                "UPDATE checks SET next_run_at = ? WHERE id = ANY(?)")) {
            ps.setObject(1, java.sql.Timestamp.from(due));
            ps.setArray(2, c.createArrayOf("uuid", checks.toArray()));
            ps.executeUpdate();
        }
    }

    /** One finished run of the history: its check, server and lease interval, runner and trigger. */
    record RunRow(UUID checkId, UUID serverId, Instant leasedAt, Instant finishedAt, String runnerId, String trigger) {
    }

    /** The run history of the checks (runs that started at or after {@code since}). */
    static List<RunRow> runs(List<UUID> checks, Instant since) throws Exception {
        List<RunRow> runs = new ArrayList<>();
        try (Connection c = BenchSupport.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT check_id, server_id, leased_at, finished_at, runner_id, run_trigger FROM runs"
                        + " WHERE check_id = ANY(?) AND started_at >= ?")) {
            ps.setArray(1, c.createArrayOf("uuid", checks.toArray()));
            ps.setObject(2, java.sql.Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new RunRow((UUID) rs.getObject(1), (UUID) rs.getObject(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return runs;
    }

    /**
     * The results of the checks that started at or after {@code since} and were published: outbox rows of
     * {@code check.results} that a relay sent and Kafka acknowledged ({@code sent_at}), one per distinct event id (a
     * relay that sent a row again after a crash sends the same event id), in publishing order.
     */
    static List<CheckResult> published(List<UUID> checks, Instant since) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        for (String payload : sentResults(checks, "DISTINCT ON (event_id) payload", " ORDER BY event_id, id",
                rs -> rs.getString(1))) {
            CheckResult r = EventJson.read(payload, CheckResult.class);
            if (!r.startedAt().isBefore(since)) {
                results.add(r);
            }
        }
        results.sort(Comparator.comparing(CheckResult::finishedAt));
        return results;
    }

    /**
     * Milliseconds from the commit of each published result of the checks (its outbox row's {@code created_at}, the
     * run's transaction) to the relay's mark after Kafka's acknowledgement ({@code sent_at}), sorted: what the outbox
     * adds to a result's way out.
     */
    static long[] publishDelaysMillis(List<UUID> checks) throws Exception {
        return sentResults(checks, "(extract(epoch FROM sent_at - created_at) * 1000)::bigint", "", rs -> rs.getLong(1))
                .stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A value of each sent {@code check.results} outbox row of the checks. */
    private static <T> List<T> sentResults(List<UUID> checks, String select, String order, Column<T> column)
            throws SQLException {
        List<T> values = new ArrayList<>();
        try (Connection c = BenchSupport.db(); PreparedStatement ps = c.prepareStatement("SELECT " + select
                + " FROM outbox WHERE topic = 'check.results' AND sent_at IS NOT NULL"
                + " AND (payload::jsonb ->> 'check_id')::uuid = ANY(?)" + order)) {
            ps.setArray(1, c.createArrayOf("uuid", checks.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(column.read(rs));
                }
            }
        }
        return values;
    }

    /** Recorded runs per check (runs that started at or after {@code since}). */
    static Map<UUID, Long> runsPerCheck(List<RunRow> runs) {
        Map<UUID, Long> perCheck = new LinkedHashMap<>();
        runs.forEach(r -> perCheck.merge(r.checkId(), 1L, Long::sum));
        return perCheck;
    }

    /** Seconds the servers were leased by the recorded runs. */
    static double leasedSeconds(List<RunRow> runs) {
        return runs.stream().mapToDouble(r -> Duration.between(r.leasedAt(), r.finishedAt()).toMillis() / 1000.0).sum();
    }

    /** No two recorded tests on one server overlap: each lease starts after the previous test on it finished. */
    static void assertLeasesNeverOverlap(List<UUID> servers, List<RunRow> runs) {
        for (UUID server : servers) {
            List<RunRow> mine = runs.stream().filter(r -> server.equals(r.serverId()))
                    .sorted(Comparator.comparing(RunRow::leasedAt)).toList();
            for (int k = 1; k < mine.size(); k++) {
                assertThat(mine.get(k).leasedAt()).as("lease on %s after the previous test", server)
                        .isAfterOrEqualTo(mine.get(k - 1).finishedAt());
            }
        }
    }

    /** Removes the bench's lease keys, closes its clients, stops the bed and empties the bench tables. */
    static void tearDown(Redis redis, String prefix, Pool pool, Vertx vertx) throws Exception {
        try {
            dropKeys(redis, prefix);
        } finally {
            redis.close();
            pool.close().await().atMost(Duration.ofSeconds(10));
            vertx.close().await().atMost(Duration.ofSeconds(10));
            Harness.stopBed();
            BenchSupport.sql("TRUNCATE checks, devices, iperf3_servers, runs, message_log, outbox");
        }
    }

    /** Removes the bench's lease keys (its own prefix). */
    private static void dropKeys(Redis redis, String prefix) {
        List<String> keys = new ArrayList<>();
        redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")).await().atMost(Duration.ofSeconds(5))
                .forEach(k -> keys.add(k.toString()));
        if (!keys.isEmpty()) {
            Request del = Request.cmd(Command.DEL);
            keys.forEach(del::arg);
            redis.send(del).await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Run secrets from the test bed's files, as inventory's internal endpoint would give them. */
    static final class BedSecrets implements SecretsSource {
        private final Map<UUID, RunSecrets> secrets;

        BedSecrets(Map<UUID, RunSecrets> secrets) {
            this.secrets = secrets;
        }

        @Override
        public RunSecrets runSecrets(UUID checkId, UUID serverId) throws InventoryException {
            RunSecrets s = secrets.get(checkId);
            if (s == null) {
                throw new InventoryException("no secrets for check " + checkId, null);
            }
            return s;
        }

        @Override
        public boolean reportHostKey(UUID deviceId, String fingerprint) {
            return true; // every host key is pinned from testbed.json; never asked
        }
    }

    /**
     * One runner replica, wired as CDI wires the service's: own pool, Redis client, lease manager and outbox relay
     * (the service's relay settings, publishing to the shared Kafka's {@code check.results}; any replica's relay
     * sends any replica's committed results, one at a time).
     */
    static final class Replica implements AutoCloseable {
        final RunnerEngine engine;
        final LeaseManager leases;
        final OutboxRelay relay;
        final Pool pool;
        final Redis redis;

        Replica(String runnerId, Vertx vertx, RunnerConfig config, SecretsSource secrets) {
            pool = BenchSupport.pool(vertx, 4);
            relay = new OutboxRelay(pool, BenchSupport.outboxConfig(), runnerId + "-outbox-relay",
                    "/bandwatch/check-runner-service", BenchSupport.KAFKA);
            redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
            leases = new LeaseManager(redis, runnerId, config.lease().keyPrefix(), config.lease().ttl(),
                    config.lease().poll(), config.lease().liveness());
            CheckRunner runner = new CheckRunner(runnerId, new DeviceRepository(pool), new ServerRepository(pool), leases,
                    new SshClient(config.ssh().connectTimeout(), config.ssh().maxOutputBytes()), secrets,
                    new FpingRunner(config.fpingPath()), config);
            engine = new RunnerEngine(runnerId, new CheckRepository(pool), new RunRepository(pool), runner, relay::wakeUp,
                    config, leases::deadAmong);
        }

        void start() {
            relay.startRelay();
            engine.start();
        }

        @Override
        public void close() {
            engine.close();
            relay.stopRelay();
            leases.close();
            pool.close().await().atMost(Duration.ofSeconds(10));
            redis.close();
        }
    }
}
