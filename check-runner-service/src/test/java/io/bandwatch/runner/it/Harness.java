package io.bandwatch.runner.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.CheckRequest;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.Event;
import io.bandwatch.events.EventDeserializer;
import io.bandwatch.events.EventSerializer;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3ServerSnapshot;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.Schedule;
import io.bandwatch.events.SshAuthMethod;
import io.bandwatch.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** Test bed, stand-in inventory, Kafka and database helpers shared by the runner's tests (one per JVM). */
public final class Harness {

    public static final String RUNNER_A = "runner-A";
    public static final String LEASE_PREFIX = "bwtest:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    public static final Duration MAX_WAIT = Duration.ofSeconds(20);
    public static final String BOOTSTRAP = "127.0.0.1:9092";
    /** The test database, as the service under test uses it (a -Dquarkus.datasource.jdbc.url override counts). */
    public static final String JDBC = System.getProperty("quarkus.datasource.jdbc.url",
            "jdbc:postgresql://127.0.0.1:5432/runner_test");

    /** Test bed layout: devices 1-12 plain, 13 without iperf3, 14 sshd down, 15 a garbage-printing iperf3. */
    public static final int DEVICES = 15;
    public static final int NO_IPERF3 = 13;
    public static final int SSHD_DOWN = 14;
    public static final int GARBAGE = 15;
    /** Servers 1-3 the shared pool, 4 shaped to 5 Mbit/s, 5 with RSA authentication, 6 held by a foreign client. */
    public static final int SERVERS = 6;
    public static final int SHAPED = 4;
    public static final int RSA = 5;
    public static final int BUSY = 6;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean started;
    private static Path stateDir;
    private static Path script;
    private static volatile JsonNode bed;
    private static boolean bedHook;
    private static FakeInventory inventory;
    private static KafkaProducer<String, Event> producer;
    private static Thread collector;
    private static volatile boolean collecting;
    private static final Map<UUID, List<CheckResult>> RESULTS = new ConcurrentHashMap<>();
    public static final List<CheckResult> ALL_RESULTS = new CopyOnWriteArrayList<>();

    private Harness() {
    }

    static synchronized void startOnce() {
        if (started) {
            return;
        }
        try {
            startBed("testbed-state", "--devices", Integer.toString(DEVICES), "--servers", Integer.toString(SERVERS),
                    "--no-iperf3", Integer.toString(NO_IPERF3), "--sshd-down", Integer.toString(SSHD_DOWN),
                    "--shape", SHAPED + "=5mbit", "--rsa-server", Integer.toString(RSA));
            // device 15: an "iperf3" on its PATH that prints its arguments and garbage instead of JSON
            Path userRoot = Path.of(Files.readString(stateDir.resolve("testbed").resolve("user-root")).strip());
            Path fake = userRoot.resolve("dev" + GARBAGE).resolve("bin").resolve("iperf3");
            Files.deleteIfExists(fake);
            Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\necho\n"
                    + "echo 'Segmentation fault (not JSON)'\nexit 0\n");
            exec(List.of("chmod", "755", fake.toString()), true);
            inventory = new FakeInventory();
            Properties p = new Properties();
            p.put("bootstrap.servers", BOOTSTRAP);
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            p.put("delivery.timeout.ms", "30000");
            p.put("request.timeout.ms", "15000");
            producer = new KafkaProducer<>(p, new StringSerializer(), new EventSerializer<>("/bandwatch/runner-test"));
            startCollector();
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized void stopAll() {
        if (!started) {
            return;
        }
        stopCollector();
        producer.close(Duration.ofSeconds(5));
        inventory.stop();
        stopBed();
        started = false;
    }

    /**
     * Brings up this test run's device test bed (deploy/local/testbed with the given layout) in its own state
     * folder {@code target/<folder>}, on the bed id of {@code BANDWATCH_TESTBED_ID} (default 0). A bed left in that
     * folder by an interrupted run is taken down first; a bed of the same id that is not ours makes it refuse.
     */
    public static synchronized void startBed(String folder, String... layout) {
        try {
            Path module = Path.of("").toAbsolutePath();
            script = module.resolveSibling("deploy").resolve("local").resolve("testbed");
            stateDir = module.resolve("target").resolve(folder);
            Files.createDirectories(stateDir);
            if (Files.exists(stateDir.resolve("testbed").resolve("testbed.json"))) {
                testbed("down"); // ours, left by an interrupted run
            }
            String namespaces = exec(List.of("ip", "netns", "list"), false);
            String bedId = System.getenv().getOrDefault("BANDWATCH_TESTBED_ID", "0");
            String prefix = "0".equals(bedId) ? "bw-" : "bw" + bedId + "-";
            if (namespaces.lines().anyMatch(l -> l.startsWith(prefix))) {
                throw new IllegalStateException("another test bed is up (" + prefix + " namespaces exist, not created by"
                        + " this test run; set BANDWATCH_TESTBED_ID=1..9 to use another bed); refusing to touch it:\n"
                        + namespaces);
            }
            if (!bedHook) { // a test JVM that is stopped (Ctrl-C, SIGTERM to Maven) takes its bed down too
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    if (bed != null) {
                        testbed("down");
                    }
                }, "testbed-down"));
                bedHook = true;
            }
            List<String> up = new ArrayList<>(List.of("up"));
            up.addAll(List.of(layout));
            testbed(up.toArray(new String[0]));
            bed = JSON.readTree(stateDir.resolve("testbed").resolve("testbed.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes down the bed of {@link #startBed}, also after a half-failed {@code up} (nothing when none was started). */
    public static synchronized void stopBed() {
        if (stateDir != null && Files.exists(stateDir.resolve("testbed"))) {
            testbed("down");
        }
        bed = null;
    }

    public static String testbed(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        return exec(command, true);
    }

    public static String exec(List<String> command, boolean check) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (stateDir != null) {
                pb.environment().put("BANDWATCH_STATE_DIR", stateDir.toString());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts collecting {@code check.results} from the current end of the topic (once per JVM). */
    public static synchronized void startCollector() {
        if (collector != null) {
            return;
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("enable.auto.commit", "false");
        // other services' tests share the topic: a record that is not a readable result is skipped
        EventDeserializer<CheckResult> strict = new EventDeserializer<>(CheckResult.class);
        org.apache.kafka.common.serialization.Deserializer<CheckResult> lenient = new org.apache.kafka.common.serialization.Deserializer<>() {
            @Override
            public CheckResult deserialize(String topic, byte[] data) {
                try {
                    return strict.deserialize(topic, data);
                } catch (RuntimeException e) {
                    return null;
                }
            }

            @Override
            public CheckResult deserialize(String topic, org.apache.kafka.common.header.Headers headers, byte[] data) {
                try {
                    return strict.deserialize(topic, headers, data);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        };
        KafkaConsumer<String, CheckResult> consumer = new KafkaConsumer<>(p, new StringDeserializer(), lenient);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.CHECK_RESULTS, 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // exists already
        }
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHECK_RESULTS, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("no partitions of " + Topics.CHECK_RESULTS);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before any test publishes
        collecting = true;
        collector = new Thread(() -> {
            try (consumer) {
                while (collecting) {
                    for (ConsumerRecord<String, CheckResult> record : consumer.poll(Duration.ofMillis(200))) {
                        CheckResult result = record.value();
                        if (result != null) {
                            RESULTS.computeIfAbsent(result.checkId(), k -> new CopyOnWriteArrayList<>()).add(result);
                            ALL_RESULTS.add(result);
                        }
                    }
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, "check-results-collector");
        collector.setDaemon(true);
        collector.start();
    }

    public static synchronized void stopCollector() {
        if (collector == null) {
            return;
        }
        collecting = false;
        try {
            collector.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        collector = null;
    }

    // ---------------------------------------------------------------- test bed

    public static FakeInventory inventory() {
        return inventory;
    }

    public static JsonNode device(int i) {
        return bed.get("devices").get(i - 1);
    }

    public static JsonNode server(int j) {
        return bed.get("servers").get(j - 1);
    }

    /** The address of the test bed's bridge in the root namespace (this machine, as the devices see it). */
    public static String bridgeAddress() {
        return bed.get("bridge").get("address").asText().replaceFirst("/.*", "");
    }

    public static String read(String path) {
        return FakeInventory.read(Path.of(path));
    }

    /** Runs a command on a device as its user over the real sshd (key login), for checks on the device itself. */
    public static String onDevice(int i, String command) {
        JsonNode d = device(i);
        return exec(List.of("ssh", "-i", d.get("ed25519_key").asText(), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                "-p", d.get("ssh_port").asText(), d.get("user").asText() + "@" + d.get("address").asText(), command), true);
    }

    // ---------------------------------------------------------------- inventory events

    public static void publish(Event event) {
        try {
            producer.send(new ProducerRecord<>(event.eventType().topic(), event.key().toString(), event))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void tombstone(String topic, UUID key) {
        try {
            producer.send(new ProducerRecord<>(topic, key.toString(), null)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static UUID publishServer(List<UUID> orgs, int j) {
        JsonNode s = server(j);
        return publishServerAt(orgs, s.get("address").asText(), s.get("port").asInt(),
                s.hasNonNull("rsa") && !s.get("rsa").isNull());
    }

    /** An iperf3 server registered for {@code orgs} at any host and port (for servers that are not test bed servers). */
    public static UUID publishServerAt(List<UUID> orgs, String host, int port, boolean authRequired) {
        UUID id = UUID.randomUUID();
        publish(new Iperf3ServerSnapshot(id, orgs, host, port, true, authRequired, 1, Instant.now()));
        if (warmedUp) {
            // topics are consumed independently: wait for the server before a check that needs it runs
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !query("SELECT 1 FROM iperf3_servers WHERE id = ?", id).isEmpty());
        }
        return id;
    }

    public static UUID publishDevice(UUID org, int i, String pinned) {
        UUID id = UUID.randomUUID();
        JsonNode d = device(i);
        publish(new DeviceSnapshot(id, org, "dev" + i, d.get("address").asText(), d.get("ssh_port").asInt(),
                d.get("user").asText(), SshAuthMethod.KEY, pinned, List.of("test"), true, 1, Instant.now()));
        return id;
    }

    public static final Schedule YEARLY = Schedule.ofCron("0 0 1 1 *", "UTC");

    public static UUID publishIperf3Check(UUID org, UUID device, Iperf3Options options) {
        UUID id = UUID.randomUUID();
        publish(new CheckSnapshot(id, org, device, CheckType.IPERF3, YEARLY, true, 1, Instant.now(), options, null));
        return id;
    }

    public static UUID publishPingCheck(UUID org, UUID device) {
        UUID id = UUID.randomUUID();
        publish(new CheckSnapshot(id, org, device, CheckType.PING, YEARLY, true, 1, Instant.now(), null,
                PingOptions.of(3, 20, 56, 300)));
        return id;
    }

    public static Iperf3Options options(int time, String... hosts) {
        return new Iperf3Options(List.of(hosts), Iperf3Options.ClientOptions.of(null, time, null, null, null, null, null,
                null, null, null, null), null);
    }

    /** SSH secrets of device i: "ed25519", "rsa" (key logins) or "password". */
    public static Map<String, Object> ssh(int i, String how) {
        JsonNode d = device(i);
        Map<String, Object> ssh = new HashMap<>();
        ssh.put("user", d.get("user").asText());
        ssh.put("auth_method", how.equals("password") ? "password" : "key");
        ssh.put("private_key", how.equals("password") ? null : read(d.get(how + "_key").asText()));
        ssh.put("password", how.equals("password") ? d.get("password").asText() : null);
        ssh.put("host_key_fingerprint", null);
        return ssh;
    }

    /** A device of the bed published with its host key pinned, and its iperf3 check. */
    public record PinnedCheck(UUID device, UUID check) {
    }

    /**
     * Device i published with its host key pinned, an iperf3 check on it with {@code options}, and the check's
     * secrets (ed25519 login with that fingerprint, {@code iperf3Auth} or none) in the stand-in inventory.
     */
    public static PinnedCheck pinnedIperf3Check(UUID org, int i, Iperf3Options options, Map<String, Object> iperf3Auth) {
        String fp = device(i).get("host_key_fingerprint").asText();
        UUID device = publishDevice(org, i, fp);
        UUID check = publishIperf3Check(org, device, options);
        Map<String, Object> ssh = ssh(i, "ed25519");
        ssh.put("host_key_fingerprint", fp);
        inventory().secrets(check, secrets(device, ssh, iperf3Auth));
        return new PinnedCheck(device, check);
    }

    public static Map<String, Object> secrets(UUID device, Map<String, Object> ssh, Map<String, Object> iperf3Auth) {
        Map<String, Object> s = new HashMap<>();
        s.put("device_id", device.toString());
        s.put("ssh", ssh);
        s.put("iperf3_auth", iperf3Auth);
        return s;
    }

    // ---------------------------------------------------------------- database and runs

    public static Connection db() throws SQLException {
        return DriverManager.getConnection(JDBC, "bandwatch", "bandwatch");
    }

    public static void sql(String statement, Object... args) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Map<String, Object>> query(String statement, Object... args) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
                        row.put(rs.getMetaData().getColumnLabel(k), rs.getObject(k));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the check (and its device) arrived through Kafka in the runner's tables. */
    public static void awaitProjected(UUID check) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> !query(
                "SELECT 1 FROM checks c JOIN devices d ON d.id = c.device_id WHERE c.id = ?", check).isEmpty());
    }

    public static List<CheckResult> results(UUID check) {
        return RESULTS.getOrDefault(check, List.of());
    }

    /** "Run now" through check.requests, then the one result on check.results. */
    public static CheckResult runNow(UUID org, UUID device, UUID check, Duration within) {
        awaitProjected(check);
        int before = results(check).size();
        publish(new CheckRequest(UUID.randomUUID(), check, device, org, "tester", Instant.now()));
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> results(check).size() > before);
        return results(check).get(before);
    }

    private static volatile boolean warmedUp;

    /**
     * The app's consumers start at the end of the topics with a fresh group; until they have their partitions an
     * event would be missed. Publishes a probe (server, device, ping check against the bridge, run request) until
     * a result comes back.
     */
    public static synchronized void warmUp() {
        if (warmedUp) {
            return;
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            UUID org = UUID.randomUUID();
            publishServer(List.of(org), 1);
            UUID device = publishDevice(org, 1, null);
            UUID check = publishPingCheck(org, device);
            Instant until = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(until)) {
                if (!query("SELECT 1 FROM checks c JOIN devices d ON d.id = c.device_id WHERE c.id = ?", check).isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            if (query("SELECT 1 FROM checks WHERE id = ?", check).isEmpty()) {
                return false;
            }
            publish(new CheckRequest(UUID.randomUUID(), check, device, org, "warm-up", Instant.now()));
            Instant wait = Instant.now().plusSeconds(5);
            while (Instant.now().isBefore(wait)) {
                if (!results(check).isEmpty()) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        });
        assertThat(warmedUp = true).isTrue();
    }
}
