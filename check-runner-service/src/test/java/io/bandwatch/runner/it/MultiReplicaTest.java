package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.runner.client.InventoryClient;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.runner.service.RunnerEngine;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two runner replicas on one schedule: the app's (runner-A) and a second one in the same JVM with its own runner
 * id, PostgreSQL pool and Redis client ({@link SecondReplica}).
 */
@QuarkusTest
class MultiReplicaTest {

    @Inject
    RunnerConfig config;

    @Inject
    Vertx vertx;

    @Inject
    Redis redis;

    @Inject
    InventoryClient inventoryClient;

    @Inject
    OutboxRelay relay;

    @Inject
    RunnerEngine engine;

    @BeforeEach
    void warm() {
        warmUp();
    }

    record Sample(long queue, long leased) {
    }

    @Test
    void twelveDevicesThreeServersAllDueAtOnceEachRunsExactlyOnceOneTestPerServer() throws Exception {
        UUID org = UUID.randomUUID();
        List<UUID> servers = List.of(publishServer(List.of(org), 1), publishServer(List.of(org), 2),
                publishServer(List.of(org), 3));
        List<UUID> checks = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            UUID device = publishDevice(org, i, device(i).get("host_key_fingerprint").asText());
            UUID check = publishIperf3Check(org, device, options(1));
            Map<String, Object> ssh = ssh(i, i % 2 == 0 ? "ed25519" : "password");
            ssh.put("host_key_fingerprint", device(i).get("host_key_fingerprint").asText());
            inventory().secrets(check, secrets(device, ssh, null));
            checks.add(check);
        }
        checks.forEach(Harness::awaitProjected);
        List<ServerRef> refs = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            refs.add(new ServerRef(servers.get(j), server(j + 1).get("address").asText(), 5201));
        }
        try (SecondReplica b = new SecondReplica("runner-B", vertx, config, inventoryClient, relay::wakeUp).start();
                LeaseManager observer = new LeaseManager(redis, "observer", config.lease().keyPrefix(), config.lease().ttl(),
                        config.lease().poll())) {
            List<Sample> samples = new CopyOnWriteArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    LeaseManager.PoolState s = observer.state(refs);
                    String pool = refs.stream().map(r -> r.leaseId().toString()).sorted().collect(Collectors.joining(","));
                    samples.add(new Sample(s.queues().getOrDefault(pool, 0L),
                            s.servers().stream().filter(LeaseManager.ServerState::leased).count()));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            sql("UPDATE checks SET next_run_at = now() WHERE id = ANY(?)", (Object) checks.toArray(new UUID[0]));
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> checks.stream().allMatch(c -> !results(c).isEmpty()));
            Thread.sleep(3000); // a duplicate would show up now
            sampling.set(false);
            sampler.join();

            List<CheckResult> all = checks.stream().flatMap(c -> results(c).stream()).toList();
            for (UUID c : checks) {
                assertThat(results(c)).as("results of check %s", c).hasSize(1);
            }
            assertThat(all).allSatisfy(r -> assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK));
            assertThat(all).noneMatch(r -> r.error() != null && r.error().code() == ErrorCode.SERVER_BUSY);
            assertThat(all.stream().map(CheckResult::runnerId).distinct()).containsExactlyInAnyOrder(RUNNER_A, "runner-B");
            assertThat(all.stream().map(r -> r.server().id()).distinct()).containsExactlyInAnyOrderElementsOf(servers);

            // per server: leases never overlap and fencing tokens increase with time
            List<Map<String, Object>> runs = query("SELECT check_id, server_id, started_at, finished_at, lease_wait_ms,"
                    + " fencing_token, leased_at FROM runs WHERE check_id = ANY(?)", (Object) checks.toArray(new UUID[0]));
            assertThat(runs).hasSize(12);
            double testSeconds = 0;
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            for (UUID server : servers) {
                List<Map<String, Object>> mine = runs.stream().filter(r -> server.equals(r.get("server_id")))
                        .sorted(Comparator.comparing(r -> leaseAt(r))).toList();
                for (int k = 1; k < mine.size(); k++) {
                    Instant previousEnd = ((Timestamp) mine.get(k - 1).get("finished_at")).toInstant();
                    assertThat(leaseAt(mine.get(k))).as("lease %d on %s starts after the previous test ended", k, server)
                            .isAfterOrEqualTo(previousEnd);
                    assertThat((Long) mine.get(k).get("fencing_token")).isGreaterThan((Long) mine.get(k - 1).get("fencing_token"));
                }
            }
            for (Map<String, Object> r : runs) {
                Instant started = ((Timestamp) r.get("started_at")).toInstant();
                Instant finished = ((Timestamp) r.get("finished_at")).toInstant();
                testSeconds += Duration.between(leaseAt(r), finished).toMillis() / 1000.0;
                first = started.isBefore(first) ? started : first;
                last = finished.isAfter(last) ? finished : last;
            }
            double meanTest = testSeconds / runs.size();
            double ideal = 12 * meanTest / 3;
            double makespan = Duration.between(first, last).toMillis() / 1000.0;
            List<Sample> queued = samples.stream().filter(s -> s.queue() > 0).toList();
            long busy = queued.stream().filter(s -> s.leased() == 3).count();
            String report = String.format("12 devices, 3 servers, 2 replicas: makespan %.2f s, ideal 12 x %.2f s / 3 = %.2f s"
                    + " (%.0f %% of ideal); samples with checks waiting: %d, of which all 3 servers leased: %d (%.0f %%)%n",
                    makespan, meanTest, ideal, 100 * makespan / ideal, queued.size(), busy,
                    queued.isEmpty() ? 0.0 : 100.0 * busy / queued.size());
            System.out.print(report);
            Files.writeString(Path.of("target", "makespan.txt"), report);
            assertThat(queued).as("checks waited for servers").isNotEmpty();
            assertThat((double) busy / queued.size()).as("pool busy while checks wait").isGreaterThanOrEqualTo(0.9);
            assertThat(makespan).isLessThan(ideal * 1.6 + 2);
        }
    }

    @Test
    void aConnectionDroppedDuringAnAuthenticatedTestLeavesNoKeyFileOnTheDevice() throws Exception {
        UUID org = UUID.randomUUID();
        UUID server = publishServer(List.of(org), RSA);
        UUID check = pinnedIperf3Check(org, 11, options(4),
                Iperf3ChecksTest.rsaAuth(server(RSA).get("rsa").get("password").asText())).check();
        awaitProjected(check);
        ServerRef ref = new ServerRef(server, server(RSA).get("address").asText(), 5201);
        engine.setClaiming(false);
        try (SecondReplica victim = new SecondReplica("runner-dropped", vertx, config, inventoryClient, relay::wakeUp).start();
                LeaseManager observer = new LeaseManager(redis, "observer", config.lease().keyPrefix(), config.lease().ttl(),
                        config.lease().poll())) {
            sql("UPDATE checks SET next_run_at = now() WHERE id = ?", check);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "runner-dropped".equals(observer.state(List.of(ref)).servers().get(0).holder()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Iperf3ChecksTest.keyFilesOn(11) == 1);
            victim.kill(); // SSH connection dropped mid-test, no cleanup from the runner
            // the device-side trap removes the key when the interrupted script ends (test time 4 s)
            Awaitility.await().atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Iperf3ChecksTest.keyFilesOn(11) == 0);
            assertThat(results(check)).isEmpty();
        } finally {
            engine.setClaiming(true);
        }
        // the app's replica takes the check over and runs it
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !results(check).isEmpty());
        assertThat(results(check).get(0).runnerId()).isEqualTo(RUNNER_A);
        assertThat(Iperf3ChecksTest.keyFilesOn(11)).isZero();
    }

    /**
     * The window the outbox closes: a replica records a run (run row, claim released, result in the outbox: one
     * commit) and dies before any relay sent the result. Deterministic: the app's relay is stopped and the dying
     * replica has none, so the result is committed and unsent when the replica is killed. Another replica's relay
     * then publishes it exactly once, with the run's id as event id, and nobody runs the check again. A relay that
     * sends a row again (a crash between Kafka's acknowledgement and the mark) sends the same event id.
     */
    @Test
    void aRunCommittedButNotYetSentWhenItsReplicaDiesIsPublishedOnceByAnotherReplicasRelay() throws Exception {
        UUID org = UUID.randomUUID();
        UUID device = publishDevice(org, 8, device(8).get("host_key_fingerprint").asText());
        UUID check = publishPingCheck(org, device);
        awaitProjected(check);
        engine.setClaiming(false); // the app's replica stands by: only the victim runs the check
        relay.stopRelay(); // and no relay publishes until the victim is dead
        try (SecondReplica victim = new SecondReplica("runner-committed", vertx, config, inventoryClient, () -> {
        }).start()) {
            sql("UPDATE checks SET next_run_at = now() WHERE id = ?", check);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !query("SELECT 1 FROM runs WHERE check_id = ?", check).isEmpty());
            victim.kill();
            UUID runId = (UUID) query("SELECT event_id FROM runs WHERE check_id = ?", check).get(0).get("event_id");
            // one commit: the run row, the released claim and the unsent result are there together
            assertThat(query("SELECT running_by FROM checks WHERE id = ?", check).get(0).get("running_by")).isNull();
            List<Map<String, Object>> rows = query("SELECT event_id, event_key, sent_at FROM outbox WHERE event_id = ?", runId);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("event_key")).isEqualTo(device.toString());
            assertThat(rows.get(0).get("sent_at")).as("not sent yet").isNull();
            Thread.sleep(1000);
            assertThat(results(check)).as("nothing published while no relay runs").isEmpty();
        } finally {
            relay.startRelay();
            engine.setClaiming(true);
        }
        // another replica's relay (the app's) publishes the dead replica's committed result
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !results(check).isEmpty());
        Thread.sleep(2000); // a duplicate, or a second run of the check, would show up now
        assertThat(results(check)).hasSize(1);
        CheckResult r = results(check).get(0);
        assertThat(r.runnerId()).isEqualTo("runner-committed");
        assertThat(query("SELECT event_id, runner_id FROM runs WHERE check_id = ?", check))
                .containsExactly(Map.of("event_id", r.eventId(), "runner_id", "runner-committed"));
        Map<String, Object> row = query("SELECT created_at, sent_at FROM outbox WHERE event_id = ?", r.eventId()).get(0);
        assertThat(row.get("sent_at")).isNotNull();

        // at least once between the relay and Kafka: a row sent again carries the same event id
        sql("UPDATE outbox SET sent_at = NULL WHERE event_id = ?", r.eventId());
        relay.wakeUp();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> results(check).size() == 2);
        assertThat(results(check)).extracting(CheckResult::eventId).containsOnly(r.eventId());
        assertThat(results(check).get(1)).isEqualTo(r);
    }

    private static Instant leaseAt(Map<String, Object> run) {
        return ((Timestamp) run.get("leased_at")).toInstant();
    }

    @Test
    void aReplicaKilledDuringATestLosesItsLeaseByTtlAndTheOtherRunsTheCheckAgain() throws Exception {
        UUID org = UUID.randomUUID();
        UUID server = publishServer(List.of(org), 2);
        UUID check = pinnedIperf3Check(org, 7, options(6), null).check();
        awaitProjected(check);
        ServerRef ref = new ServerRef(server, server(2).get("address").asText(), 5201);
        engine.setClaiming(false); // the app's replica stands by until the other one is killed
        try (SecondReplica victim = new SecondReplica("runner-victim", vertx, config, inventoryClient, relay::wakeUp).start();
                LeaseManager observer = new LeaseManager(redis, "observer", config.lease().keyPrefix(), config.lease().ttl(),
                        config.lease().poll())) {
            sql("UPDATE checks SET next_run_at = now() WHERE id = ?", check);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "runner-victim".equals(observer.state(List.of(ref)).servers().get(0).holder()));
            long victimToken = observer.state(List.of(ref)).servers().get(0).fencingToken();
            Thread.sleep(1500); // the test is running on the device
            long killedAt = System.nanoTime();
            victim.kill();
            engine.setClaiming(true);
            Awaitility.await().atMost(config.lease().ttl().plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !"runner-victim".equals(observer.state(List.of(ref)).servers().get(0).holder()));
            Duration expiredAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.printf("killed replica's lease gone after %d ms (TTL %d ms)%n", expiredAfter.toMillis(),
                    config.lease().ttl().toMillis());
            assertThat(expiredAfter).isLessThanOrEqualTo(config.lease().ttl().plusMillis(500));

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !results(check).isEmpty());
            Thread.sleep(2000);
            assertThat(results(check)).hasSize(1);
            CheckResult r = results(check).get(0);
            assertThat(r.runnerId()).isEqualTo(RUNNER_A);
            assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK);
            assertThat(r.server().fencingToken()).isGreaterThan(victimToken);
            assertThat(query("SELECT run_trigger FROM runs WHERE check_id = ?", check))
                    .extracting(row -> row.get("run_trigger")).containsExactly("takeover");
        } finally {
            engine.setClaiming(true);
        }
    }

    /**
     * kill -9 as Redis sees it (connections closed, liveness key no longer refreshed): the other replica takes over
     * the dead one's claim once it is found dead, before the heartbeat timeout, runs the check on the server once the
     * dead one's lease is gone (here its TTL, shorter than the killed test's time plus the orphan margin; the lease
     * taken from a dead holder: LeaseManagerTest), and the check still ends with exactly one result.
     */
    @Test
    void aReplicaThatDiesIsTakenOverBeforeTheTtlAndTheHeartbeatTimeout() throws Exception {
        UUID org = UUID.randomUUID();
        UUID server = publishServer(List.of(org), 3);
        UUID check = pinnedIperf3Check(org, 9, options(2), null).check();
        awaitProjected(check);
        ServerRef ref = new ServerRef(server, server(3).get("address").asText(), 5201);
        engine.setClaiming(false); // the app's replica stands by until the other one dies
        try (LeaseManager observer = new LeaseManager(redis, "observer", config.lease().keyPrefix(), config.lease().ttl(),
                config.lease().poll())) {
            SecondReplica victim = new SecondReplica("runner-dies-" + UUID.randomUUID(), vertx, config, inventoryClient,
                    relay::wakeUp).start();
            String victimId = victim.runnerId;
            long killedAt;
            try {
                sql("UPDATE checks SET next_run_at = now() WHERE id = ?", check);
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> victimId.equals(observer.state(List.of(ref)).servers().get(0).holder()));
                Thread.sleep(1000); // the TCP test is running on the device
                killedAt = System.nanoTime();
                victim.die();
            } finally {
                engine.setClaiming(true);
            }
            // the claim: taken over once the replica is found dead, before its heartbeat is older than the timeout
            Awaitility.await().atMost(config.heartbeatTimeout().plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> RUNNER_A.equals(query("SELECT running_by FROM checks WHERE id = ?", check).get(0)
                            .get("running_by")));
            Duration claimedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !results(check).isEmpty());
            Duration after = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.printf("dead replica's claim taken over %d ms after the kill, its check re-run and published after"
                    + " %d ms (TTL %d ms, heartbeat timeout %d ms)%n", claimedAfter.toMillis(), after.toMillis(),
                    config.lease().ttl().toMillis(), config.heartbeatTimeout().toMillis());
            assertThat(claimedAfter).as("claim taken over before the heartbeat timeout")
                    .isLessThan(config.heartbeatTimeout());
            Thread.sleep(2000);
            assertThat(results(check)).hasSize(1);
            CheckResult r = results(check).get(0);
            assertThat(r.runnerId()).isEqualTo(RUNNER_A);
            assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK);
            assertThat(query("SELECT run_trigger FROM runs WHERE check_id = ?", check))
                    .extracting(row -> row.get("run_trigger")).containsExactly("takeover");
        } finally {
            engine.setClaiming(true);
        }
    }
}
