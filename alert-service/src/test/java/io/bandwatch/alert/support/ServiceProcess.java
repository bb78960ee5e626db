package io.bandwatch.alert.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, started the way
 * {@code deploy/local/bandwatch} starts it: an empty working folder, a clean environment (PATH, HOME, LANG,
 * JAVA_HOME plus the given variables) and the secrets in a properties file named by {@code QUARKUS_CONFIG_LOCATIONS}.
 * Output goes to a log file. {@link #stop()} sends SIGTERM and waits for the exit, {@link #kill()} sends SIGKILL.
 * Every started process is also ended by a shutdown hook, so none outlives the test JVM.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Thread hook;

    private ServiceProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "stop-" + log.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the jar on a free port (and its management interface on another) with {@code env} (Quarkus environment
     * variables) and waits until {@code /q/health/ready} answers 200 on the management port.
     */
    public static ServiceProcess start(Path jar, Path workDir, Path log, Map<String, String> env, Duration readyWithin) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run the integration tests with `mvn verify` "
                    + "(after package)");
        }
        int port = freePort();
        int managementPort = freePort();
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
                    .directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> environment = builder.environment();
            Map<String, String> inherited = new LinkedHashMap<>();
            for (String name : new String[] {"PATH", "HOME", "LANG", "JAVA_HOME"}) {
                String value = System.getenv(name);
                if (value != null) {
                    inherited.put(name, value);
                }
            }
            environment.clear();
            environment.putAll(inherited);
            environment.putAll(env);
            environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            environment.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            ServiceProcess service = new ServiceProcess(builder.start(), port, managementPort, log);
            try {
                service.awaitReady(readyWithin);
            } catch (RuntimeException e) {
                service.close();
                throw e;
            }
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Health, metrics and OpenAPI: the management interface. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    private void awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start (exit " + process.exitValue()
                        + "), see " + log);
            }
            if (status(managementUrl() + "/q/health/ready") == 200) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service is not ready after " + within + ", see " + log);
            }
            sleep(200);
        }
    }

    /** SIGTERM, then waits for the exit (graceful shutdown: consumers commit and leave their group). */
    public int stop() {
        process.destroy();
        return await(Duration.ofSeconds(60));
    }

    /** SIGKILL: no shutdown, no last commit, no leaving the group. */
    public int kill() {
        process.destroyForcibly();
        return await(Duration.ofSeconds(30));
    }

    private int await(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the service did not exit within " + within + ", killed; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            removeHook();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        removeHook();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int status(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
