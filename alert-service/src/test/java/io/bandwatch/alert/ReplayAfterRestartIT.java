package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bandwatch.alert.service.Signatures;
import io.bandwatch.alert.support.ConsumerGroups;
import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.ServiceProcess;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.bandwatch.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, "results replayed from the start of the topic after a restart produce no new notifications", with the
 * packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, configured as the local stack
 * configures it, against the real Kafka and PostgreSQL ({@code alert_test}) and a webhook receiver of the test:
 * <ol>
 * <li>results raise problems and recoveries (stored, on {@code alert.notifications}, delivered to the webhook);</li>
 * <li>the service is stopped (SIGTERM), its group's offsets of {@code check.results} are reset to the earliest and it
 * is started again: once the group has committed the end of every partition, nothing new exists for those devices
 * (notification rows, records on {@code alert.notifications} and {@code devices.health}, webhook deliveries) and
 * their health is unchanged;</li>
 * <li>a stream of results is cut by SIGKILL in the middle and continues while the service is away: after the
 * restart every expected notification exists exactly once (the records evaluated but not committed before the kill
 * are delivered again and change nothing);</li>
 * <li>a second reset to the earliest after a SIGTERM again produces nothing new, for the devices of both rounds.</li>
 * </ol>
 * Logs of the service runs: {@code target/alert-it/}.
 */
class ReplayAfterRestartIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path DIR = Path.of("target", "alert-it").toAbsolutePath();
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String WEBHOOK_SECRET = "it-webhook-secret-" + UUID.randomUUID();
    /** Devices of the SIGTERM round and of the SIGKILL round. */
    private static final int FIRST_DEVICES = 3;
    private static final int STREAM_DEVICES = 40;

    record Delivery(String eventId, String deviceId, boolean signed) {
    }

    private static HttpServer receiver;
    private static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private static final List<ServiceProcess> started = new ArrayList<>();
    private static ConsumerGroups group;
    private static Map<String, String> env;
    private static int runs;

    private final UUID org = UUID.randomUUID();
    private final String operator = TestJwt.user("it-operator", Map.of(org, "operator"));

    @BeforeAll
    static void setUp() throws IOException {
        Files.createDirectories(DIR);
        // 127.0.0.2: an internal address the service is configured to allow (webhooks reach no other)
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(Signatures.HEADER);
            String device = EventJson.read(body, AlertNotification.class).deviceId().toString();
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Bandwatch-Event-Id"), device,
                    Signatures.sign(WEBHOOK_SECRET, body).equals(signature)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        String groupId = "alert-service-it-" + UUID.randomUUID();
        group = new ConsumerGroups(groupId);
        env = serviceEnvironment(groupId);
    }

    @AfterAll
    static void tearDown() {
        started.forEach(ServiceProcess::close);
        if (receiver != null) {
            receiver.stop(0);
        }
        if (group != null) {
            group.deleteQuietly();
            group.close();
        }
    }

    /**
     * What {@code deploy/local/bandwatch} gives the service ({@code service_env} of services.env and the secrets file
     * of {@code services_secrets}), pointed at the test database, with a consumer group and dead-letter topic of its
     * own: the JWT public key of this test JVM, and a fresh AES-256 key for webhook secrets, in a properties file
     * (mode 600) named by QUARKUS_CONFIG_LOCATIONS, never on the command line or in the environment.
     */
    private static Map<String, String> serviceEnvironment(String groupId) throws IOException {
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        Properties secrets = new Properties();
        secrets.setProperty("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        secrets.setProperty("mp.jwt.verify.issuer", TestJwt.ISSUER);
        secrets.setProperty("bandwatch.secrets.active-key", "it1");
        secrets.setProperty("bandwatch.secrets.keys.it1", Base64.getEncoder().encodeToString(aes));
        Path file = DIR.resolve("secrets/alert-service.properties");
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(file)) {
            secrets.store(out, "alert-service under ReplayAfterRestartIT");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.BOOTSTRAP);
        env.put("QUARKUS_DATASOURCE_USERNAME", "bandwatch");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "bandwatch");
        // -Dalert.test.database=...: a database of one's own while a schema change is not merged yet
        String database = System.getProperty("alert.test.database", "alert_test");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:5432/" + database);
        env.put("BANDWATCH_KAFKA_GROUP", groupId);
        env.put("BANDWATCH_KAFKA_RESULTS_DLQ", "check.results.dlq.alert-service-it");
        env.put("BANDWATCH_OUTBOX_POLL_INTERVAL", "500ms");
        env.put("BANDWATCH_ALERT_WEBHOOK_POLL_INTERVAL", "500ms");
        env.put("BANDWATCH_ALERT_WEBHOOK_ALLOWED_INTERNAL_CIDRS", "127.0.0.2/32");
        // Not a secret, test only: a killed instance's consumers keep their partitions until the session timeout
        // (45 s by default) runs out; 10 s keeps the SIGKILL round short (the broker's minimum is 6 s).
        Path tuning = DIR.resolve("it.properties");
        Files.writeString(tuning, "mp.messaging.connector.smallrye-kafka.session.timeout.ms=10000\n");
        env.put("QUARKUS_CONFIG_LOCATIONS", file + "," + tuning);
        return env;
    }

    private static ServiceProcess startService() {
        runs++;
        long t0 = System.nanoTime();
        ServiceProcess service = ServiceProcess.start(JAR, DIR.resolve("run"), DIR.resolve("service-" + runs + ".log"),
                env, READY);
        started.add(service);
        System.out.printf("ReplayAfterRestartIT: service run %d (pid %d) ready in %d ms%n", runs, service.pid(),
                ms(t0));
        return service;
    }

    @Test
    void replayFromTheStartOfTheTopicAfterARestartRaisesNothingNew() throws Exception {
        ServiceProcess service = startService();
        group.awaitAssigned(Topics.CHECK_RESULTS, WAIT);
        createWebhook(service);

        // 1. problems and recoveries of three devices: known devices and checks, ping reachable < 1 for 30 minutes
        List<Fixture> first = new ArrayList<>();
        for (int i = 0; i < FIRST_DEVICES; i++) {
            Fixture f = new Fixture(org, UUID.randomUUID(), UUID.randomUUID(), CheckType.PING, "it-router-" + i);
            first.add(f);
            TestKafka.send(f.deviceSnapshot());
            TestKafka.send(f.checkSnapshot());
        }
        ServiceProcess firstRun = service;
        for (Fixture f : first) {
            await().atMost(WAIT).until(() -> api(firstRun).queryParam("check_id", f.check()).get("/api/v1/alert-settings")
                    .then().statusCode(200).extract().jsonPath().getList("id").size() == 1);
        }
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        for (Fixture f : first) {
            TestKafka.sendAll(List.of(f.ping(t, false), f.ping(t.plus(Duration.ofMinutes(31)), false),
                    f.ping(t.plus(Duration.ofMinutes(60)), true), f.ping(t.plus(Duration.ofMinutes(90)), true)));
        }
        Snapshot before = awaitSettled(service, first, 2);
        assertThat(before.healthStatuses()).containsOnly("ok");

        // 2. SIGTERM, offsets of check.results back to the earliest, start again, wait for the end of the topic
        try (TopicTail notifications = new TopicTail(Topics.ALERT_NOTIFICATIONS);
                TopicTail health = new TopicTail(Topics.DEVICES_HEALTH)) {
            ServiceProcess restarted = replay(service, "SIGTERM round");
            Snapshot after = snapshot(restarted, first);
            assertThat(after).as("after the replay: rows, deliveries and health of the devices").isEqualTo(before);
            assertThat(notifications.keysSeen(keys(first))).as("nothing new on alert.notifications").isEmpty();
            assertThat(health.keysSeen(keys(first))).as("nothing new on devices.health").isEmpty();
            assertThat(deliveries.stream().filter(d -> keys(first).contains(d.deviceId())).count())
                    .as("no new webhook delivery").isEqualTo(2L * FIRST_DEVICES);
            service = restarted;
        }

        // 3. a stream of results cut by SIGKILL in the middle; it goes on while the service is away
        List<Fixture> stream = new ArrayList<>();
        for (int i = 0; i < STREAM_DEVICES; i++) {
            stream.add(new Fixture(org, UUID.randomUUID(), UUID.randomUUID(), CheckType.PING, "it-stream-" + i));
        }
        List<CheckResult> results = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            for (Fixture f : stream) {
                results.add(f.ping(t.plus(Duration.ofMinutes(31L * step)), step == 1 || step == 2 ? false : true));
            }
        }
        // per device: ok, bad, bad (31 minutes later: problem), ok (recovery)
        int half = results.size() / 2;
        long streamStart = System.nanoTime();
        for (int i = 0; i < half; i++) {
            TestKafka.send(results.get(i));
        }
        Map<TopicPartition, Long> committedAtKill = group.committed(Topics.CHECK_RESULTS);
        int exit = service.kill();
        System.out.printf("ReplayAfterRestartIT: SIGKILL after %d of %d results (%d ms into the stream), exit %d%n",
                half, results.size(), ms(streamStart), exit);
        for (int i = half; i < results.size(); i++) {
            TestKafka.send(results.get(i));
        }
        Map<TopicPartition, Long> end = group.endOffsets(Topics.CHECK_RESULTS);
        long restartAt = System.nanoTime();
        service = startService();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> group.reached(end));
        System.out.printf("ReplayAfterRestartIT: after SIGKILL, %d records behind the last commit; caught up %d ms "
                + "after the restart began%n", behind(committedAtKill, end), ms(restartAt));
        Snapshot streamed = awaitSettled(service, stream, 2);
        assertThat(streamed.healthStatuses()).containsOnly("ok");
        for (Fixture f : stream) {
            assertThat(api(service).queryParam("device_id", f.device()).get("/api/v1/notifications").then()
                    .statusCode(200).extract().jsonPath().getList("type", String.class))
                    .as("one problem and one recovery for " + f.name() + ", newest first")
                    .containsExactly("recovery", "problem");
        }

        // 4. SIGTERM and a replay from the earliest again: nothing new for the devices of both rounds
        List<Fixture> all = new ArrayList<>(first);
        all.addAll(stream);
        Snapshot beforeSecond = snapshot(service, all);
        int deliveriesBefore = deliveries.size();
        try (TopicTail notifications = new TopicTail(Topics.ALERT_NOTIFICATIONS);
                TopicTail health = new TopicTail(Topics.DEVICES_HEALTH)) {
            ServiceProcess restarted = replay(service, "after the SIGKILL round");
            assertThat(snapshot(restarted, all)).isEqualTo(beforeSecond);
            assertThat(notifications.keysSeen(keys(all))).isEmpty();
            assertThat(health.keysSeen(keys(all))).isEmpty();
            assertThat(deliveries).hasSize(deliveriesBefore);
            assertThat(restarted.stop()).as("exit status after SIGTERM").isIn(0, 143);
        }
    }

    /**
     * SIGTERM, waits for the group to be empty, resets its check.results offsets to the earliest, starts the service
     * and waits until the group has committed the end of every partition and a little longer (outbox and webhook
     * rounds run every 500 ms).
     */
    private ServiceProcess replay(ServiceProcess service, String round) throws InterruptedException {
        long stopAt = System.nanoTime();
        int exit = service.stop();
        assertThat(exit).as("exit status after SIGTERM").isIn(0, 143);
        long stopMs = ms(stopAt);
        group.awaitEmpty(WAIT);
        Map<TopicPartition, Long> earliest = group.resetToEarliest(Topics.CHECK_RESULTS);
        Map<TopicPartition, Long> end = group.endOffsets(Topics.CHECK_RESULTS);
        long records = behind(earliest, end);
        assertThat(group.committed(Topics.CHECK_RESULTS)).isEqualTo(earliest);
        long restartAt = System.nanoTime();
        ServiceProcess restarted = startService();
        // the whole topic is read again: allow 60 s plus 10 ms a record
        Duration within = WAIT.plusMillis(10 * records);
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> group.reached(end));
        long caughtUpMs = ms(restartAt);
        Thread.sleep(3000);
        System.out.printf("ReplayAfterRestartIT: %s: SIGTERM to exit %d ms; %d records of check.results replayed from "
                + "the earliest; group committed the end %d ms after the restart began%n", round, stopMs, records,
                caughtUpMs);
        return restarted;
    }

    private void createWebhook(ServiceProcess service) {
        api(service).contentType(ContentType.JSON)
                .body(Map.of("organization_id", org, "url",
                        "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook", "secret", WEBHOOK_SECRET))
                .post("/api/v1/webhooks").then().statusCode(201);
    }

    private RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).auth().oauth2(operator);
    }

    /** What a user sees of these devices: notifications, health, webhook deliveries. */
    record Snapshot(Map<String, List<String>> notifications, Map<String, String> health, Map<String, Long> delivered) {

        Set<String> healthStatuses() {
            return health.values().stream().map(h -> h.split(" ")[0]).collect(Collectors.toSet());
        }
    }

    private Snapshot snapshot(ServiceProcess service, List<Fixture> devices) {
        Map<String, List<String>> notifications = new HashMap<>();
        Map<String, String> health = new HashMap<>();
        for (Fixture f : devices) {
            notifications.put(f.device().toString(), api(service).queryParam("device_id", f.device())
                    .queryParam("limit", 100).get("/api/v1/notifications").then().statusCode(200).extract().jsonPath()
                    .getList("id", String.class));
            JsonPath h = api(service).get("/api/v1/device-health/" + f.device()).then().statusCode(200).extract()
                    .jsonPath();
            health.put(f.device().toString(), h.getString("status") + " " + h.getString("changed_at"));
        }
        Map<String, Long> delivered = new HashMap<>();
        for (String hook : api(service).get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.organization_id == '" + org + "' }.id", String.class)) {
            JsonPath log = api(service).queryParam("limit", 1000).get("/api/v1/webhooks/" + hook + "/deliveries").then()
                    .statusCode(200).extract().jsonPath();
            delivered.put(hook, log.getList("status", String.class).stream().filter("delivered"::equals).count());
        }
        return new Snapshot(notifications, health, delivered);
    }

    /**
     * Waits until each device has {@code perDevice} notifications and every one of them has reached the receiver,
     * signed; returns the snapshot.
     */
    private Snapshot awaitSettled(ServiceProcess service, List<Fixture> devices, int perDevice) {
        Set<String> keys = keys(devices);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            Snapshot s = snapshot(service, devices);
            Set<String> ids = s.notifications().values().stream().flatMap(List::stream).collect(Collectors.toSet());
            Set<String> received = deliveries.stream().filter(d -> keys.contains(d.deviceId())).map(Delivery::eventId)
                    .collect(Collectors.toSet());
            return s.notifications().values().stream().allMatch(l -> l.size() == perDevice) && received.equals(ids);
        });
        List<Delivery> ours = deliveries.stream().filter(d -> keys.contains(d.deviceId())).toList();
        assertThat(ours).allMatch(Delivery::signed);
        return snapshot(service, devices);
    }

    private static Set<String> keys(List<Fixture> devices) {
        return devices.stream().map(f -> f.device().toString()).collect(Collectors.toSet());
    }

    private static long behind(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        return to.entrySet().stream().mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** Reads a topic from its end at creation; {@link #keysSeen} reads to the current end and names the keys seen. */
    static final class TopicTail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        TopicTail(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            TestKafka.ensureTopic(topic);
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        Set<String> keysSeen(Set<String> keys) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                if (keys.contains(r.key())) {
                    seen.add(r.key() + " " + CloudEventHeaders.id(r.headers()).orElse("?"));
                }
            }
            return seen;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
