package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.device;
import static io.bandwatch.runner.it.Harness.query;
import static io.bandwatch.runner.it.Harness.results;
import static io.bandwatch.runner.it.Harness.server;
import static io.bandwatch.runner.it.Harness.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.Topics;
import io.bandwatch.testing.ServiceProcess;
import io.bandwatch.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged services as separate OS processes: the real inventory-service
 * ({@code ../inventory-service/target/quarkus-app/quarkus-run.jar}, own database {@value #INVENTORY_DB} made anew per
 * run, JWT keys made for the test) and two check-runner-service replicas ({@code target/quarkus-app/quarkus-run.jar},
 * runner ids {@value #RUNNER_1} / {@value #RUNNER_2}, database {@code runner_test}, one consumer group of their own
 * that starts at the current end of the topics, short lease TTL and heartbeat timeout), on the shared Kafka,
 * PostgreSQL and Redis and a small device test bed of their own ({@code target/testbed-it-state}: 4 devices, 2
 * servers). Everything is set up through inventory's public REST API as an operator would, and reaches the runners
 * only through inventory's outbox and Kafka. Logs of the children: {@code target/it-processes/*.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnerProcessesIT {

    static final String INVENTORY_DB = "inventory_runner_it";
    static final String RUNNER_1 = "runner-proc-1";
    static final String RUNNER_2 = "runner-proc-2";
    static final Duration LEASE_TTL = Duration.ofSeconds(6);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(8);
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    static final Duration START = Duration.ofSeconds(120);
    /** Test bed: devices 1-3 for the inventory test (pinned, first use, wrong key), 4 for the kill test. */
    static final String[] LAYOUT = {"--devices", "4", "--servers", "2"};
    static final String WRONG_FINGERPRINT = "SHA256:" + "A".repeat(43);

    static final String LEASE_PREFIX = "bwit:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    static final String ADMIN_PASSWORD = secret();
    static final String RUNNER_PASSWORD = secret();

    static ServiceProcess inventory;
    static final Map<String, ServiceProcess> runners = new LinkedHashMap<>();
    static Vertx vertx;
    static RedisAPI redis;

    @BeforeAll
    static void startProcesses() throws Exception {
        Path inventoryJar = ServiceProcess.jar("inventory-service");
        Path runnerJar = ServiceProcess.jar("check-runner-service");
        Harness.startBed("testbed-it-state", LAYOUT);
        Harness.startCollector();
        recreateDatabase(INVENTORY_DB);
        String group = "check-runner-it-" + UUID.randomUUID();
        startGroupAtEndOfTopics(group, List.of(Topics.INVENTORY_DEVICES, Topics.INVENTORY_IPERF3_SERVERS,
                Topics.INVENTORY_CHECKS, Topics.CHECK_REQUESTS));
        vertx = Vertx.vertx();
        redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));

        long t0 = System.nanoTime();
        int inventoryPort = ServiceProcess.freePort();
        inventory = ServiceProcess.start("inventory-service", inventoryJar, inventoryPort, inventoryConfig());
        for (String id : List.of(RUNNER_1, RUNNER_2)) {
            runners.put(id, ServiceProcess.start(id, runnerJar, ServiceProcess.freePort(),
                    runnerConfig(id, group, inventory.url())));
        }
        inventory.awaitReady(START);
        for (ServiceProcess r : runners.values()) {
            r.awaitReady(START);
        }
        System.out.printf("child processes ready after %d ms: %s, %s%n", (System.nanoTime() - t0) / 1_000_000, inventory,
                runners.values());
    }

    @AfterAll
    static void stopProcesses() {
        List<Runnable> steps = new ArrayList<>();
        runners.values().forEach(r -> steps.add(r::close));
        if (inventory != null) {
            steps.add(inventory::close);
        }
        if (redis != null) { // this run's leases, fencing counters and queues
            steps.add(() -> {
                List<String> keys = new ArrayList<>();
                redis.keys(LEASE_PREFIX + "*").await().atMost(Duration.ofSeconds(5)).forEach(k -> keys.add(k.toString()));
                if (!keys.isEmpty()) {
                    redis.del(keys).await().atMost(Duration.ofSeconds(5));
                }
            });
        }
        if (vertx != null) {
            steps.add(() -> vertx.closeAndAwait());
        }
        steps.add(Harness::stopCollector);
        steps.add(Harness::stopBed);
        RuntimeException failure = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- the real inventory

    @Test
    @Order(1)
    void theRealInventoryFeedsTheRunnersThatRunOverSshWithItsSecretsAndLearnHostKeys() {
        String admin = login("admin", ADMIN_PASSWORD);
        UUID org = createOrganization(admin);
        UUID server = createServer(admin, org, 1);
        String pinnedKey = device(1).get("host_key_fingerprint").asText();
        UUID pinned = createDevice(admin, org, 1, "key", pinnedKey);
        UUID firstUse = createDevice(admin, org, 2, "password", null);
        UUID wrong = createDevice(admin, org, 3, "key", WRONG_FINGERPRINT);
        Map<UUID, UUID> checks = new LinkedHashMap<>();
        for (UUID d : List.of(pinned, firstUse, wrong)) {
            checks.put(d, createIperf3Check(admin, d, 1));
        }
        String viewer = viewerOf(admin, org);

        // the runners project what inventory's outbox published
        awaitProjected(List.copyOf(checks.values()), server);
        assertThat(query("SELECT host_key_fingerprint FROM devices WHERE id = ?", pinned))
                .extracting(r -> r.get("host_key_fingerprint")).containsExactly(pinnedKey);
        // ... and accept inventory's tokens on their own API
        JsonPath schedule = api(runners.get(RUNNER_1).url(), viewer).get("/api/v1/checks/{id}/schedule", checks.get(pinned))
                .then().statusCode(200).extract().jsonPath();
        assertThat(schedule.getString("next_run_at")).contains("-01-01T00:00:00");
        assertThat(Instant.parse(schedule.getString("next_run_at"))).isAfter(Instant.now());

        // run now, as an operator: inventory -> check.requests -> any runner; secrets fetched with the service token
        for (UUID check : checks.values()) {
            api(inventory.url(), admin).post("/api/v1/checks/{id}/run", check).then().statusCode(202);
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> checks.values().stream().allMatch(c -> !ours(c).isEmpty()));

        CheckResult ok = ours(checks.get(pinned)).get(0);
        assertThat(ok.status()).as("%s", ok.error()).isEqualTo(ResultStatus.OK);
        assertThat(ok.iperf3().fields()).containsOnlyKeys(Iperf3Metrics.FIELD_NAMES);
        assertThat(ok.iperf3().sentBpsTcp()).isPositive();
        assertThat(ok.iperf3().sentBpsUdp()).isPositive();
        assertThat(ok.server().id()).isEqualTo(server);
        assertThat(ok.deviceId()).isEqualTo(pinned);
        assertThat(ok.organizationId()).isEqualTo(org);

        // password login with the password only inventory knows; no pinned key: recorded on first use
        CheckResult learned = ours(checks.get(firstUse)).get(0);
        assertThat(learned.status()).as("%s", learned.error()).isEqualTo(ResultStatus.OK);
        String presented = device(2).get("host_key_fingerprint").asText();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> presented.equals(api(inventory.url(), viewer).get("/api/v1/devices/{id}", firstUse)
                        .then().statusCode(200).extract().path("host_key_fingerprint")));
        // inventory published the device again with its key, and the runners' projection has it
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> presented.equals(query("SELECT host_key_fingerprint FROM devices WHERE id = ?", firstUse)
                        .get(0).get("host_key_fingerprint")));

        // a wrong pinned key: refused with the host-key code, and inventory keeps what the operator pinned
        CheckResult refused = ours(checks.get(wrong)).get(0);
        assertThat(refused.status()).isEqualTo(ResultStatus.FAILED);
        assertThat(refused.error().code()).as("%s", refused.error()).isEqualTo(ErrorCode.HOST_KEY_MISMATCH);
        assertThat(refused.error().message()).contains(device(3).get("host_key_fingerprint").asText());
        assertThat((String) api(inventory.url(), viewer).get("/api/v1/devices/{id}", wrong).then().statusCode(200)
                .extract().path("host_key_fingerprint")).isEqualTo(WRONG_FINGERPRINT);

        // the run history on the runner's API, for the organization's viewer
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)) // recorded after publishing
                .until(() -> !query("SELECT 1 FROM runs WHERE device_id = ?", firstUse).isEmpty());
        JsonPath runs = api(runners.get(RUNNER_2).url(), viewer).queryParam("device", firstUse).get("/api/v1/runs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(runs.getList("status", String.class)).containsExactly("ok");
        assertThat(runs.getList("trigger", String.class)).containsExactly("request");
        for (UUID check : checks.values()) {
            assertThat(ours(check)).as("results of %s", check).hasSize(1);
        }
        System.out.printf("real inventory: pinned ok by %s, first use ok by %s (fingerprint recorded), wrong key %s by %s%n",
                ok.runnerId(), learned.runnerId(), refused.error().code(), refused.runnerId());
    }

    // ---------------------------------------------------------------- kill -9

    @Test
    @Order(2)
    void aRunnerProcessKilledWithSigkillLosesItsLeaseWithinTheTtlAndTheOtherProcessRunsTheCheckAgain() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        UUID org = createOrganization(admin);
        UUID server = createServer(admin, org, 2);
        UUID device = createDevice(admin, org, 4, "key", device(4).get("host_key_fingerprint").asText());
        UUID check = createIperf3Check(admin, device, 4);
        String viewer = viewerOf(admin, org);
        awaitProjected(List.of(check), server);
        // leases are keyed by the server's address, whoever registered it
        String leaseKey = LEASE_PREFIX + "lease:" + new io.bandwatch.runner.lease.ServerRef(server,
                server(2).get("address").asText(), server(2).get("port").asInt()).leaseId();

        // the check falls due; whichever replica claims it is the one we kill
        sql("UPDATE checks SET next_run_at = now() WHERE id = ?", check);
        Instant due = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Object holder = runningBy(check);
            return holder != null && holder.equals(leaseHolder(leaseKey));
        });
        String victimId = (String) runningBy(check);
        String survivorId = victimId.equals(RUNNER_1) ? RUNNER_2 : RUNNER_1;
        ServiceProcess victim = runners.get(victimId);
        ServiceProcess survivor = runners.get(survivorId);
        long victimToken = Long.parseLong(lease(leaseKey).split("\\|")[0]);
        // what an operator sees: the pool status of the holder and the check's schedule on the other replica
        JsonPath status = api(victim.url(), viewer).get("/api/v1/iperf3-servers/status").then().statusCode(200)
                .extract().jsonPath();
        assertThat(status.getList("servers.id", String.class)).containsExactly(server.toString());
        assertThat(status.getBoolean("servers[0].leased")).isTrue();
        assertThat(status.getString("servers[0].holder")).isEqualTo(victimId);
        assertThat(status.getLong("servers[0].fencing_token")).isEqualTo(victimToken);
        JsonPath claim = api(survivor.url(), viewer).get("/api/v1/checks/{id}/schedule", check).then().statusCode(200)
                .extract().jsonPath();
        assertThat(claim.getBoolean("running")).isTrue();
        assertThat(claim.getString("running_by")).isEqualTo(victimId);
        Instant nextRunAt = ((Timestamp) query("SELECT next_run_at FROM checks WHERE id = ?", check).get(0)
                .get("next_run_at")).toInstant();
        assertThat(nextRunAt).as("the claim moved the schedule to its next time").isAfter(due.plus(Duration.ofDays(1)));

        Thread.sleep(1500); // the test is running on the device
        long pttl = redis.pttl(leaseKey).await().atMost(Duration.ofSeconds(5)).toLong();
        long killedAt = System.nanoTime();
        int exit = victim.kill();
        long killMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(exit).as("exit status of SIGKILL").isEqualTo(137);
        Thread.sleep(300); // a heartbeat in flight at the kill has landed or never will
        Map<String, Object> stale = query("SELECT running_by, heartbeat_at FROM checks WHERE id = ?", check).get(0);
        assertThat(stale.get("running_by")).isEqualTo(victimId);
        Instant lastBeat = ((Timestamp) stale.get("heartbeat_at")).toInstant();

        // the claim: taken over once the killed process is found dead (Redis: its connection closed, its liveness key
        // expired), before the heartbeat timeout
        Awaitility.await().atMost(HEARTBEAT_TIMEOUT.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> survivorId.equals(runningBy(check)));
        // the lease: nobody releases it; it expires by its TTL or, the holder dead, is taken once the killed command's
        // own time is up (4 s test, 1 s connect timeout, 5 s margin: here the TTL comes first)
        Awaitility.await().atMost(LEASE_TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> !victimId.equals(leaseHolder(leaseKey)));
        long leaseGoneMs = (System.nanoTime() - killedAt) / 1_000_000;
        String nextHolder = leaseHolder(leaseKey);
        assertThat(nextHolder == null || nextHolder.equals(survivorId)).as("lease expired or taken by the survivor: %s",
                nextHolder).isTrue();
        long takenOverMs = (System.nanoTime() - killedAt) / 1_000_000;
        Instant claimedAt = ((Timestamp) query("SELECT claimed_at FROM checks WHERE id = ?", check).get(0).get("claimed_at"))
                .toInstant();
        long afterLastBeatMs = Duration.between(lastBeat, claimedAt).toMillis();
        String report = String.format("SIGKILL of %s (pid %d, exit %d, %d ms to reap) holding the lease of server %s"
                + " (PTTL %d ms at the kill): lease gone after %d ms (TTL %d ms); claim taken over by %s after %d ms"
                + " (%d ms after its last heartbeat; heartbeat timeout %d ms, interval %d ms)%n", victimId, victim.pid(), exit,
                killMs, server, pttl, leaseGoneMs, LEASE_TTL.toMillis(), survivorId, takenOverMs, afterLastBeatMs,
                HEARTBEAT_TIMEOUT.toMillis(), HEARTBEAT_INTERVAL.toMillis());
        System.out.print(report);
        assertThat(leaseGoneMs).as("lease gone within the TTL (plus polling)").isLessThanOrEqualTo(LEASE_TTL.toMillis() + 500)
                .as("and not released at the kill: it expired").isGreaterThanOrEqualTo(LEASE_TTL.toMillis() / 2);
        assertThat(afterLastBeatMs).as("claim not taken over while its replica sent heartbeats")
                .isGreaterThanOrEqualTo(HEARTBEAT_INTERVAL.toMillis());
        assertThat(takenOverMs).as("claim of the dead replica taken over before the heartbeat timeout")
                .isLessThan(HEARTBEAT_TIMEOUT.toMillis());

        // the surviving process runs the check again, exactly once
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !ours(check).isEmpty());
        long resultMs = (System.nanoTime() - killedAt) / 1_000_000;
        Thread.sleep(3000); // a duplicate would show up now
        assertThat(results(check)).as("results of the check on check.results").hasSize(1);
        CheckResult r = results(check).get(0);
        assertThat(r.runnerId()).isEqualTo(survivorId);
        assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK);
        assertThat(r.server().id()).isEqualTo(server);
        assertThat(r.server().fencingToken()).isGreaterThan(victimToken);
        assertThat(query("SELECT runner_id, run_trigger, status FROM runs WHERE check_id = ?", check))
                .as("completed runs of the check").containsExactly(Map.of("runner_id", survivorId, "run_trigger", "takeover",
                        "status", "ok"));
        Map<String, Object> row = query("SELECT running_by, next_run_at FROM checks WHERE id = ?", check).get(0);
        assertThat(row.get("running_by")).isNull();
        assertThat(((Timestamp) row.get("next_run_at")).toInstant()).as("no second run for that due time")
                .isEqualTo(nextRunAt);
        JsonPath runs = api(survivor.url(), viewer).queryParam("check", check).get("/api/v1/runs").then().statusCode(200)
                .extract().jsonPath();
        assertThat(runs.getList("runner_id", String.class)).containsExactly(survivorId);
        assertThat(runs.getList("trigger", String.class)).containsExactly("takeover");
        assertThat(victim.isAlive()).isFalse();
        report += String.format("result of the run again by %s on check.results %d ms after the kill (fencing token %d > %d)%n",
                survivorId, resultMs, r.server().fencingToken(), victimToken);
        System.out.print(report.lines().skip(1).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(Path.of("target", "runner-kill.txt"), report);
    }

    // ---------------------------------------------------------------- helpers: the runners' view

    /** Results of the check published by our runner processes (another runner on this machine could see the request). */
    static List<CheckResult> ours(UUID check) {
        return results(check).stream().filter(r -> runners.containsKey(r.runnerId())).toList();
    }

    static Object runningBy(UUID check) {
        List<Map<String, Object>> rows = query("SELECT running_by FROM checks WHERE id = ?", check);
        return rows.isEmpty() ? null : rows.get(0).get("running_by");
    }

    static String lease(String key) {
        Response value = redis.get(key).await().atMost(Duration.ofSeconds(5));
        return value == null ? null : value.toString();
    }

    /** The holder in a lease value {@code token|holder|run|since}, null when there is no lease. */
    static String leaseHolder(String key) {
        String value = lease(key);
        return value == null ? null : value.split("\\|", 4)[1];
    }

    static void awaitProjected(List<UUID> checks, UUID server) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                !query("SELECT 1 FROM iperf3_servers WHERE id = ?", server).isEmpty()
                        && checks.stream().allMatch(c -> !query(
                                "SELECT 1 FROM checks c JOIN devices d ON d.id = c.device_id WHERE c.id = ?", c).isEmpty()));
    }

    // ---------------------------------------------------------------- helpers: inventory's public API

    static RequestSpecification api(String base, String token) {
        return given().baseUri(base).auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static String login(String user, String password) {
        return given().baseUri(inventory.url()).contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", password)).post("/api/v1/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static UUID created(RequestSpecification request, String path) {
        return UUID.fromString(request.post(path).then().statusCode(201).extract().path("id"));
    }

    static UUID createOrganization(String admin) {
        return created(api(inventory.url(), admin).body(Map.of("name", "it-" + UUID.randomUUID(), "enabled", true)),
                "/api/v1/organizations");
    }

    static UUID createServer(String admin, UUID org, int j) {
        return created(api(inventory.url(), admin).body(Map.of("organization_ids", List.of(org.toString()),
                "host", server(j).get("address").asText(), "port", server(j).get("port").asInt(), "enabled", true)),
                "/api/v1/iperf3-servers");
    }

    /** A device of the test bed: key (ed25519) or password login, host key pinned or not (null). */
    static UUID createDevice(String admin, UUID org, int i, String login, String fingerprint) {
        Map<String, Object> body = new HashMap<>();
        body.put("organization_id", org.toString());
        body.put("name", "dev" + i);
        body.put("address", device(i).get("address").asText());
        body.put("ssh_port", device(i).get("ssh_port").asInt());
        body.put("ssh_user", device(i).get("user").asText());
        if (login.equals("key")) {
            body.put("private_key", Harness.read(device(i).get("ed25519_key").asText()));
        } else {
            body.put("password", device(i).get("password").asText());
        }
        if (fingerprint != null) {
            body.put("host_key_fingerprint", fingerprint);
        }
        body.put("tags", List.of("it"));
        body.put("enabled", true);
        body.put("create_default_checks", false);
        return created(api(inventory.url(), admin).body(body), "/api/v1/devices");
    }

    /** An iperf3 check against the organization's servers, TCP and UDP of {@code time} seconds each, due once a year. */
    static UUID createIperf3Check(String admin, UUID device, int time) {
        return created(api(inventory.url(), admin).body(Map.of("device_id", device.toString(), "type", "iperf3",
                "params", Map.of("client_options", Map.of("time", time)),
                "schedule", Map.of("cron", "0 0 1 1 *", "time_zone", "UTC"))), "/api/v1/checks");
    }

    /** A user who is a viewer of the organization, and its token from inventory. */
    static String viewerOf(String admin, UUID org) {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String password = secret();
        created(api(inventory.url(), admin).body(Map.of("username", name, "password", password, "superuser", false,
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "viewer")))), "/api/v1/users");
        return login(name, password);
    }

    // ---------------------------------------------------------------- helpers: setup

    static Map<String, String> inventoryConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.password", "bandwatch");
        c.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + INVENTORY_DB);
        c.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + INVENTORY_DB);
        c.put("kafka.bootstrap.servers", Harness.BOOTSTRAP);
        c.put("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        c.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        c.put("smallrye.jwt.sign.key.location", TestJwt.instance().privateKeyPath().toString());
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        c.put("bandwatch.secrets.active-key", "it1");
        c.put("bandwatch.secrets.keys.it1", Base64.getEncoder().encodeToString(aes));
        c.put("bandwatch.auth.initial-superuser.username", "admin");
        c.put("bandwatch.auth.initial-superuser.password", ADMIN_PASSWORD);
        c.put("bandwatch.auth.service-accounts.check-runner.password", RUNNER_PASSWORD);
        // its devices.health consumer: a group of its own, so that it takes nothing from another inventory's
        c.put("mp.messaging.incoming.\"devices.health\".group.id", "inventory-it-" + UUID.randomUUID());
        c.put("mp.messaging.incoming.\"devices.health\".auto.offset.reset", "latest");
        return c;
    }

    static Map<String, String> runnerConfig(String id, String group, String inventoryUrl) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.password", "bandwatch");
        c.put("quarkus.datasource.jdbc.url", Harness.JDBC);
        c.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/runner_test");
        c.put("kafka.bootstrap.servers", Harness.BOOTSTRAP);
        c.put("quarkus.redis.hosts", "redis://127.0.0.1:6379");
        c.put("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        c.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        c.put("bandwatch.inventory.url", inventoryUrl);
        c.put("bandwatch.inventory.service-username", "check-runner");
        c.put("bandwatch.inventory.service-password", RUNNER_PASSWORD);
        c.put("bandwatch.runner.id", id);
        c.put("bandwatch.runner.lease.key-prefix", LEASE_PREFIX);
        c.put("bandwatch.runner.lease.ttl", LEASE_TTL.toMillis() + "ms");
        c.put("bandwatch.runner.lease.max-wait", "60s");
        c.put("bandwatch.runner.lease.poll", "200ms");
        c.put("bandwatch.runner.heartbeat-interval", HEARTBEAT_INTERVAL.toMillis() + "ms");
        c.put("bandwatch.runner.heartbeat-timeout", HEARTBEAT_TIMEOUT.toMillis() + "ms");
        c.put("bandwatch.runner.poll-interval", POLL_INTERVAL.toMillis() + "ms");
        c.put("bandwatch.runner.ssh.connect-timeout", "5s");
        c.put("bandwatch.runner.iperf3.timeout-slack", "4s");
        for (String channel : new String[] {"inventory.devices", "inventory.iperf3-servers", "inventory.checks",
                "check.requests"}) {
            c.put("mp.messaging.incoming.\"" + channel + "\".group.id", group);
            c.put("mp.messaging.incoming.\"" + channel + "\".auto.offset.reset", "latest");
        }
        return c;
    }

    /** A database of its own for the test's inventory, made anew: first superuser, empty outbox. */
    static void recreateDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "bandwatch",
                "bandwatch"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    /**
     * Commits, for a new consumer group, the current end offsets of the topics (made if missing), so that consumers of
     * that group read exactly what is published from now on, whenever they get their partitions.
     */
    static void startGroupAtEndOfTopics(String group, List<String> topics) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", Harness.BOOTSTRAP);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    NewTopic t = new NewTopic(topic, 3, (short) 1);
                    if (Topics.spec(topic).map(s -> s.compacted()).orElse(false)) {
                        t.configs(Map.of("cleanup.policy", "compact"));
                    }
                    try {
                        admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d -> d.partitions()
                    .forEach(i -> latest.put(new TopicPartition(d.name(), i.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> new OffsetAndMetadata(e.getValue().offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
        }
    }

    static String secret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
