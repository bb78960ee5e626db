package io.bandwatch.metrics.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private InfluxDB 1.x for one test: Debian's {@code influxd} with its own configuration, data folder (under
 * {@code target/}) and ports, behind its own {@code nginx} that adds {@code /api/v2/write}, both rendered from the
 * local stack's templates ({@code deploy/local/influxdb.conf.template}, {@code deploy/local/nginx.conf.template})
 * so the test runs the very rewrite the stack runs. Both are child processes of the test JVM: {@link #stopInfluxd()}
 * sends influxd SIGTERM and waits for it to exit, {@link #startInfluxd()} starts it again on the same data folder.
 * The shared InfluxDB and nginx of the stack are never touched. Logs: {@code <dir>/logs/}.
 */
public final class PrivateInflux implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int influxPort;
    private final int rpcPort;
    private final int nginxPort;
    private final Path influxConf;
    private final Path nginxConf;
    private Process influxd;
    private Process nginx;

    private PrivateInflux(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.influxPort = freePort();
        this.rpcPort = freePort();
        this.nginxPort = freePort();
        this.influxConf = this.dir.resolve("influxdb/influxdb.conf");
        this.nginxConf = this.dir.resolve("nginx/nginx.conf");
    }

    /** Renders the configurations into a fresh {@code dir}, starts influxd and nginx, and waits until both answer. */
    public static PrivateInflux start(Path dir) {
        return start(dir, true);
    }

    /**
     * As {@link #start(Path)}; with {@code influxd false} only nginx is started (it answers 502 until
     * {@link #startInfluxd()}): an InfluxDB that is not reachable yet when the service starts.
     */
    public static PrivateInflux start(Path dir, boolean influxd) {
        PrivateInflux influx = null;
        try {
            deleteTree(dir);
            influx = new PrivateInflux(dir);
            influx.render();
            if (influxd) {
                influx.startInfluxd();
            }
            influx.startNginx();
            return influx;
        } catch (IOException e) {
            if (influx != null) {
                influx.close();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (influx != null) {
                influx.close();
            }
            throw e;
        }
    }

    /** What clients use: nginx, with {@code /api/v2/write}. */
    public String url() {
        return "http://127.0.0.1:" + nginxPort;
    }

    /** influxd's own HTTP API (v1), for reading behind the service's back. */
    public String rawUrl() {
        return "http://127.0.0.1:" + influxPort;
    }

    public synchronized boolean influxdRunning() {
        return influxd != null && influxd.isAlive();
    }

    /** Starts influxd (again) on the same data folder; returns once it answers {@code /ping}. */
    public synchronized void startInfluxd() {
        if (influxdRunning()) {
            return;
        }
        try {
            Path log = dir.resolve("logs/influxd.log");
            influxd = new ProcessBuilder("influxd", "-config", influxConf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("influxd could not be started (Debian package influxdb)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status(rawUrl() + "/ping") != 204) {
            if (!influxd.isAlive()) {
                throw new IllegalStateException("influxd exited during start, see " + dir.resolve("logs/influxd.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("influxd does not answer /ping after 30 s, see " + dir.resolve("logs"));
            }
            sleep(100);
        }
    }

    /** SIGTERM to influxd, then waits for it to exit (SIGKILL only if it has not within 30 s). */
    public synchronized void stopInfluxd() {
        if (influxd == null) {
            return;
        }
        stop(influxd);
        influxd = null;
    }

    private void startNginx() throws IOException {
        // -g "daemon off;": the master stays our child, so SIGTERM from close() ends it with its workers
        nginx = new ProcessBuilder("nginx", "-c", nginxConf.toString(), "-p", dir.resolve("nginx") + "/",
                "-e", dir.resolve("logs/nginx-error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/nginx.out").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        // with influxd stopped nginx answers 502: any answer then shows that nginx is up
        while (influxdRunning() ? status(url() + "/ping") != 204 : status(url() + "/ping") < 0) {
            if (!nginx.isAlive()) {
                throw new IllegalStateException("nginx exited during start, see " + dir.resolve("logs/nginx-error.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx does not answer /ping after 15 s, see " + dir.resolve("logs"));
            }
            sleep(100);
        }
    }

    private void render() throws IOException {
        Path templates = repositoryRoot().resolve("deploy/local");
        for (String sub : List.of("influxdb/meta", "influxdb/data", "influxdb/wal", "nginx/tmp", "nginx/static", "logs",
                "pids")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String influx = Files.readString(templates.resolve("influxdb.conf.template"), StandardCharsets.UTF_8);
        influx = replaceOnce(influx, "\"127.0.0.1:8188\"", "\"127.0.0.1:" + rpcPort + "\"");
        influx = replaceOnce(influx, "\"127.0.0.1:8186\"", "\"127.0.0.1:" + influxPort + "\"");
        Files.writeString(influxConf, influx.replace("@STATE@", dir.toString()), StandardCharsets.UTF_8);

        String userLine = "";
        if ("root".equals(System.getProperty("user.name"))) {
            // as in deploy/local/bandwatch: the master runs as root, the worker as an unprivileged user owning tmp
            String worker = userExists("www-data") ? "www-data" : "nobody";
            userLine = "user " + worker + ";";
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(worker);
            Files.setOwner(dir.resolve("nginx/tmp"), owner);
        }
        String nginx = Files.readString(templates.resolve("nginx.conf.template"), StandardCharsets.UTF_8)
                .replace("@STATE@", dir.toString()).replace("@USER_LINE@", userLine)
                .replace("@INFLUX@", "127.0.0.1:" + influxPort).replace("@LISTEN@", "127.0.0.1:" + nginxPort);
        Files.writeString(nginxConf, nginx, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("nginx/static/health.json"),
                "{\"name\":\"influxdb\",\"message\":\"ready for queries and writes\",\"status\":\"pass\",\"checks\":[],"
                        + "\"version\":\"1.x\",\"commit\":\"\"}\n", StandardCharsets.UTF_8);
    }

    private static String replaceOnce(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalStateException("influxdb.conf.template no longer contains " + from
                    + ": update PrivateInflux to the template");
        }
        return text.replace(from, to);
    }

    private static boolean userExists(String name) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
    }

    /** The repository root: the first parent of the working directory holding deploy/local. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/local/influxdb.conf.template"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/local/influxdb.conf.template not found above " + Path.of("").toAbsolutePath());
    }

    private static void stop(Process process) {
        process.destroy(); // SIGTERM on Linux
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int status(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
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

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops nginx and influxd (whatever is still running); the data folder stays for inspection. */
    @Override
    public synchronized void close() {
        if (nginx != null) {
            stop(nginx);
            nginx = null;
        }
        stopInfluxd();
    }
}
