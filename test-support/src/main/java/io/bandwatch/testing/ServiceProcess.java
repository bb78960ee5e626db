package io.bandwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Bandwatch service ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child process of the
 * test JVM, in the prod profile, configured only by a properties file of its own ({@code QUARKUS_CONFIG_LOCATIONS},
 * mode 600, as deploy/local/bandwatch does; no secret on the command line). Its output goes to
 * {@code target/it-processes/<name>.log}.
 *
 * <p>Child processes never outlive the tests: {@link #close()} stops one (SIGTERM, then SIGKILL), a shutdown hook
 * kills those still running when the test JVM exits (also when it is interrupted), and a process left by a test
 * JVM that was itself killed is found by its pid file and killed before a child of the same name starts.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ServiceProcess p : LIVE) {
                p.process.destroyForcibly();
            }
        }, "service-process-cleanup"));
    }

    public final String name;
    public final int port;
    /** The port of its management interface (health, metrics, OpenAPI): a free one of its own. */
    public final int managementPort;
    public final Path log;
    private final Path jar;
    private final Path config;
    private final Path pidFile;
    private final Process process;

    private ServiceProcess(String name, int port, int managementPort, Path jar, Path config, Path log, Path pidFile,
            Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.jar = jar;
        this.config = config;
        this.log = log;
        this.pidFile = pidFile;
        this.process = process;
    }

    /** A packaged service's jar, or an error telling to build that module first. */
    public static Path jar(String module) {
        Path jar = Path.of("").toAbsolutePath().resolveSibling(module).resolve("target").resolve("quarkus-app")
                .resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build " + module + " first (mvn -B verify from the"
                    + " repository root builds it before this module; alone: mvn -B -pl " + module
                    + " package -DskipTests)");
        }
        return jar;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code java -jar jar} with the given configuration (plus {@code quarkus.http.host=127.0.0.1},
     * {@code quarkus.http.port}, and the management interface on 127.0.0.1 and a free port of its own, unless the
     * settings give {@code quarkus.management.port}); returns at once, see {@link #awaitReady}.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> settings) {
        return start(name, jar, port, settings, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    }

    /**
     * As {@link #start(String, Path, int, Map)} with the given JVM options instead of the defaults (a heap of 256 MB
     * and the C1 compiler only, which start fast); benches give the JVM options the local stack uses.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> settings,
            List<String> jvmOptions) {
        try {
            Path dir = Path.of("target", "it-processes").toAbsolutePath();
            Path work = dir.resolve(name);
            Files.createDirectories(work); // an empty working directory: no .env or config/ is picked up by chance
            Path pidFile = dir.resolve(name + ".pid");
            reapLeftover(pidFile, jar);
            Map<String, String> all = new TreeMap<>(settings);
            all.put("quarkus.http.host", "127.0.0.1");
            all.put("quarkus.http.port", Integer.toString(port));
            all.put("quarkus.management.host", "127.0.0.1");
            all.putIfAbsent("quarkus.management.port", Integer.toString(freePort()));
            int managementPort = Integer.parseInt(all.get("quarkus.management.port"));
            Path config = dir.resolve(name + ".properties");
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder text = new StringBuilder();
            all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(config, text.toString(), StandardCharsets.UTF_8);
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-Dit.child=" + name, "-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // only its own file configures it: nothing leaks in from the environment of the build
            pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("MP_")
                    || k.startsWith("SMALLRYE_") || k.startsWith("KAFKA_") || k.startsWith("BANDWATCH_"));
            pb.environment().put("QUARKUS_CONFIG_LOCATIONS", config.toString());
            Process process = pb.start();
            process.getOutputStream().close();
            ServiceProcess p = new ServiceProcess(name, port, managementPort, jar, config, log, pidFile, process);
            LIVE.add(p);
            Files.writeString(pidFile, Long.toString(process.pid()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills a process that a previous test JVM started under this name and could not stop (it was killed itself). */
    private static void reapLeftover(Path pidFile, Path jar) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).strip();
        Files.delete(pidFile);
        Optional<ProcessHandle> old = text.matches("\\d+") ? ProcessHandle.of(Long.parseLong(text)) : Optional.empty();
        old.filter(h -> h.info().arguments().map(a -> List.of(a).contains(jar.toString())).orElse(false))
                .ifPresent(h -> {
                    System.out.printf("killing pid %d left by an earlier test run (%s)%n", h.pid(), jar);
                    h.destroyForcibly();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                });
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<management port>}: {@code /q/health/ready}, {@code /q/metrics}, {@code /q/openapi}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} (on the management port) answers 200; fails with the end of the log when it exits or times out. */
    public ServiceProcess awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start; log "
                        + log + ":\n" + tail(60));
            }
            try {
                last = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + within + " (last answer " + last + "); log " + log
                + ":\n" + tail(60));
    }

    /** SIGKILL ({@link Process#destroyForcibly()}): no shutdown hook, no cleanup; returns the exit code. */
    public int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /** The last lines of its log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops it (SIGTERM, SIGKILL after 15 s) and removes its configuration file, which holds its secrets. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            LIVE.remove(this);
            try {
                Files.deleteIfExists(config);
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // best effort; target/ is cleaned by the build
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", " + url() + ", management " + managementUrl() + ", log " + log + ")";
    }
}
