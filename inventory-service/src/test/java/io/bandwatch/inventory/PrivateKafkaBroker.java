package io.bandwatch.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A private single-node KRaft Kafka broker run as a child process (never {@code kafka.Kafka.main} in the test
 * JVM: it exits the JVM), so a test can really stop and restart a broker without touching the shared one.
 * Configured and formatted the way {@code deploy/local/bandwatch} does it (kafka_properties, kafka_start), with
 * the jars that script fetched into {@code $BANDWATCH_STATE_DIR/kafka/libs} (default
 * {@code <repo>/deploy/local/.state}; {@code bandwatch up --infra-only} provides them) and a temporary log dir.
 */
final class PrivateKafkaBroker implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final int port;
    private final int controllerPort;
    private final Path libs;
    private final Path log4j;
    private final Path dir;
    private final Path props;
    private final Thread killOnExit;
    private Process process;

    private PrivateKafkaBroker(int port, int controllerPort) throws IOException {
        this.port = port;
        this.controllerPort = controllerPort;
        Path repo = repoRoot();
        Path state = stateDir(repo);
        this.libs = state.resolve("kafka").resolve("libs");
        if (!Files.isDirectory(libs) || !hasJar(libs)) {
            throw new IllegalStateException("no Kafka jars in " + libs
                    + ": run 'deploy/local/bandwatch up --infra-only' first (it fetches them)");
        }
        this.log4j = repo == null ? null : repo.resolve("deploy/local/kafka/log4j2.properties");
        this.dir = Files.createTempDirectory("bandwatch-private-kafka-");
        this.props = dir.resolve("server.properties");
        this.killOnExit = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "private-kafka-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Formats a fresh storage in a temporary folder and starts the broker (not yet waited for). */
    static PrivateKafkaBroker start(int port, int controllerPort) {
        PrivateKafkaBroker broker = null;
        try {
            broker = new PrivateKafkaBroker(port, controllerPort);
            broker.format();
            broker.startProcess();
            return broker;
        } catch (IOException | RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    String bootstrap() {
        return HOST + ":" + port;
    }

    Path dir() {
        return dir;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the broker again on the same log dir and ports (after {@link #stop()}). */
    void restart() {
        if (running()) {
            throw new IllegalStateException("the private broker still runs");
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker (SIGTERM: controlled shutdown; killed after 30 s) and waits until it has exited. */
    void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        if (p.isAlive()) {
            throw new IllegalStateException("the private broker (pid " + p.pid() + ") did not exit");
        }
        process = null;
    }

    /** Waits until the broker answers a describeCluster; fails early (with its log) if the process died. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!running()) {
                throw new IllegalStateException("the private broker exited (" + exitInfo() + "):\n" + logTail());
            }
            try (Admin admin = admin()) {
                String cluster = admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                if (cluster != null && !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(250);
        }
        throw new IllegalStateException("the private broker at " + bootstrap() + " did not answer within " + timeout
                + " (" + last + "):\n" + logTail());
    }

    /** Creates topics (3 partitions, replication 1) unless they exist. */
    void createTopics(String... topics) {
        try (Admin admin = admin()) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String t : topics) {
                wanted.add(new NewTopic(t, 3, (short) 1));
            }
            admin.createTopics(wanted).values().forEach((name, f) -> {
                try {
                    f.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating " + name + " on the private broker", e);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("creating " + name + " on the private broker", e);
                }
            });
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    /** Last lines of the broker's logs (for failure messages). */
    String logTail() {
        StringBuilder out = new StringBuilder();
        for (Path log : List.of(dir.resolve("logs/stdout.log"), dir.resolve("logs/server.log"))) {
            if (Files.isRegularFile(log)) {
                try {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    out.append("== ").append(log).append('\n');
                    lines.subList(Math.max(0, lines.size() - 40), lines.size())
                            .forEach(l -> out.append(l).append('\n'));
                } catch (IOException | RuntimeException e) {
                    out.append("(").append(log).append(": ").append(e).append(")\n");
                }
            }
        }
        return out.toString();
    }

    /** Kills the broker if it runs and deletes its temporary folder. */
    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs
        }
        deleteTree(dir);
    }

    private void format() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(props, properties(), StandardCharsets.UTF_8);
        String clusterId = Uuid.randomUuid().toString();
        List<String> cmd = java();
        cmd.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString()));
        Path formatLog = dir.resolve("logs/format.log");
        Process f = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(formatLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        try {
            if (!f.waitFor(60, TimeUnit.SECONDS)) {
                f.destroyForcibly();
                throw new IllegalStateException("formatting the private broker's storage timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.destroyForcibly();
            throw new IllegalStateException("interrupted while formatting", e);
        }
        if (f.exitValue() != 0) {
            throw new IllegalStateException("formatting the private broker's storage failed:\n"
                    + Files.readString(formatLog, StandardCharsets.UTF_8));
        }
    }

    private void startProcess() throws IOException {
        for (int p : new int[] { port, controllerPort }) {
            if (portOpen(p)) {
                throw new IllegalStateException(HOST + ":" + p + " is taken: the private broker needs it");
            }
        }
        List<String> cmd = java();
        cmd.addAll(List.of("kafka.Kafka", props.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/stdout.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
    }

    private List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-Xms256m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-Dkafka.logs.dir=" + dir.resolve("logs")));
        if (log4j != null && Files.isRegularFile(log4j)) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.addAll(List.of("-cp", libs + "/*"));
        return cmd;
    }

    private String properties() {
        return """
                # a test's private single-node KRaft broker (combined broker and controller), as deploy/local/bandwatch
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%4$s
                auto.create.topics.enable=true
                num.partitions=3
                default.replication.factor=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(HOST, port, controllerPort, dir.resolve("data"));
    }

    private String exitInfo() {
        Process p = process;
        return p == null ? "not started" : "exit code " + (p.isAlive() ? "none" : String.valueOf(p.exitValue()));
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasJar(Path libs) throws IOException {
        try (Stream<Path> files = Files.list(libs)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_"));
        }
    }

    /** The repository root: the first folder upwards from the working directory with deploy/local/bandwatch. */
    static Path repoRoot() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("deploy/local/bandwatch"))) {
                return d;
            }
        }
        return null;
    }

    /** BANDWATCH_STATE_DIR (system property, then environment), else {@code <repo>/deploy/local/.state}. */
    static Path stateDir(Path repo) {
        String configured = System.getProperty("BANDWATCH_STATE_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("BANDWATCH_STATE_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        if (repo == null) {
            throw new IllegalStateException("BANDWATCH_STATE_DIR is not set and no deploy/local/bandwatch above "
                    + Paths.get("").toAbsolutePath());
        }
        return repo.resolve("deploy/local/.state");
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
