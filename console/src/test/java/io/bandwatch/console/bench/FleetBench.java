package io.bandwatch.console.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /console/api/fleet} with {@code bench.devices} (default 10 000) devices: created through inventory's
 * API (no default checks), one last run each in the runner's bench database, one iperf3 and one ping point each in
 * the bench InfluxDB database. Then {@code bench.requests} pages of 50 (random page, sorted by name) through the
 * console as the superuser, after a warm-up, three times (runs 1..3 on the same devices); the time of each request is
 * taken at the client over loopback (the console's server time plus the loopback hop). Prints {@code BENCH console.*}
 * lines with {@code n=<devices> run=<i>}, and the RSS of this JVM (which runs the console) during the requests.
 */
@QuarkusTest
@QuarkusTestResource(value = BenchStack.class, restrictToAnnotatedClass = true)
class FleetBench {

    static final int DEVICES = Integer.getInteger("bench.devices", 10_000);
    static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    static final int RUNS = 3;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL console;

    @Test
    void fleetPageP95() throws Exception {
        String token = token(BenchStack.inventory.url(), "admin", BenchStack.ADMIN_PASSWORD);
        String org = post(BenchStack.inventory.url() + "/api/v1/organizations", token,
                Map.of("name", "bench-" + UUID.randomUUID(), "enabled", true)).path("id").asText();
        // sign in to the console, as a browser does
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(console + "console/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", "admin", "password", BenchStack.ADMIN_PASSWORD))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        // two sizes (issue 14: how the cost grows): a tenth of the devices first, then the rest added to them
        StringBuilder lines = new StringBuilder();
        List<String> ids = new ArrayList<>();
        Random random = new Random(42);
        // (a page holds 50: below 500 devices one size only)
        int[] sizes = DEVICES / 10 >= 50 ? new int[] {DEVICES / 10, DEVICES} : new int[] {DEVICES};
        for (int size : sizes) {
            long t0 = System.nanoTime();
            List<String> added = createDevices(token, org, ids.size(), size);
            System.out.printf("created %d devices (now %d) through inventory's API in %d s%n", added.size(), size,
                    (System.nanoTime() - t0) / 1_000_000_000);
            writeRuns(added, org);
            writePoints(added, org);
            ids.addAll(added);
            awaitMetricsKnows(token, ids);

            int pages = (ids.size() + 49) / 50;
            for (int i = 0; i < 30; i++) { // warm-up
                fleet(cookie, org, random.nextInt(pages));
            }
            // 3 runs of REQUESTS pages each, on the same devices (BENCH contract: every run printed, n = devices)
            long rssMb = 0;
            for (int run = 1; run <= RUNS; run++) {
                long[] ms = new long[REQUESTS];
                for (int i = 0; i < REQUESTS; i++) {
                    long start = System.nanoTime();
                    JsonNode page = fleet(cookie, org, random.nextInt(pages));
                    ms[i] = (System.nanoTime() - start) / 1_000_000;
                    if (run == 1 && i == 0) {
                        assertThat(page.path("total").asLong()).isEqualTo(ids.size());
                        assertThat(page.path("items")).hasSize(50);
                        assertThat(page.path("unavailable")).isEmpty();
                        assertThat(page.path("items").get(0).path("last").path("received_bps_tcp").isNumber())
                                .isTrue();
                        assertThat(page.path("items").get(0).path("last_run").path("status").asText())
                                .isEqualTo("ok");
                    }
                }
                rssMb = Math.max(rssMb, rssMb());
                Arrays.sort(ms);
                String tail = " n=" + ids.size() + " run=" + run + "%n";
                lines.append(String.format("BENCH console.fleet_p50_ms %d ms" + tail, percentile(ms, 50)))
                        .append(String.format("BENCH console.fleet_p95_ms %d ms" + tail, percentile(ms, 95)))
                        .append(String.format("BENCH console.fleet_max_ms %d ms" + tail, ms[ms.length - 1]));
            }
            lines.append(String.format("BENCH console.rss_under_load_mb %d MB n=%d%n", rssMb, ids.size()));
        }
        lines.append(String.format("BENCH console.devices %d count%nBENCH console.fleet_requests %d count%n",
                ids.size(), REQUESTS * RUNS));
        PrintStream out = System.out;
        out.print(lines);
        Path file = Path.of("target", "bench", "fleet.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines);
    }

    static long percentile(long[] sorted, int p) {
        return sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
    }

    /** RSS of this JVM (the console runs in it), MB. */
    static long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    JsonNode fleet(String cookie, String org, int page) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(console + "console/api/fleet?organization_id="
                + org + "&page=" + page + "&size=50&sort=name")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Devices number {@code from} to {@code to - 1} of the organization. */
    List<String> createDevices(String token, String org, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int n = i;
                futures.add(pool.submit(() -> post(BenchStack.inventory.url() + "/api/v1/devices", token, Map.of(
                        "organization_id", org, "name", String.format("rtr-%05d", n),
                        "address", "10." + (n / 65536) + "." + (n / 256 % 256) + "." + (n % 256), "ssh_user", "root",
                        "password", "bench-secret", "tags", List.of(n % 2 == 0 ? "even" : "odd"),
                        "create_default_checks", false)).path("id").asText()));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** One finished iperf3 run per device in the runner's bench database. */
    void writeRuns(List<String> ids, String org) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + BenchStack.RUNNER_DB,
                "bandwatch", "bandwatch"); PreparedStatement ps = c.prepareStatement("INSERT INTO runs (event_id, "
                        + "check_id, device_id, organization_id, type, run_trigger, runner_id, started_at, finished_at, "
                        + "status) VALUES (?, ?, ?, ?, 'iperf3', 'schedule', 'bench', ?, ?, 'ok')")) {
            Instant now = Instant.now();
            for (String id : ids) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, UUID.randomUUID());
                ps.setObject(3, UUID.fromString(id));
                ps.setObject(4, UUID.fromString(org));
                ps.setTimestamp(5, Timestamp.from(now.minusSeconds(30)));
                ps.setTimestamp(6, Timestamp.from(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One iperf3 and one ping point per device in the bench InfluxDB database (line protocol, /write). */
    void writePoints(List<String> ids, String org) throws Exception {
        long now = System.currentTimeMillis();
        StringBuilder lines = new StringBuilder();
        Random random = new Random(7);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            lines.append("iperf3,device=").append(id).append(",organization=").append(org).append(" received_bps_tcp=")
                    .append(5e6 + random.nextInt(50_000_000)).append(",jitter=0.").append(random.nextInt(9) + 1)
                    .append(",lost_percent=0,iperf3_result=1 ").append(now - i).append('\n');
            lines.append("ping,device=").append(id).append(",organization=").append(org).append(" rtt_avg=")
                    .append(1 + random.nextInt(40)).append(".5,loss=0,reachable=1 ").append(now - i).append('\n');
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8086/write?db="
                + BenchStack.INFLUX_DB + "&rp=raw&precision=ms")).POST(HttpRequest.BodyPublishers.ofString(
                        lines.toString(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /** metrics-service learns devices from inventory.devices: wait until it reads our last device. */
    void awaitMetricsKnows(String token, List<String> ids) throws Exception {
        String last = ids.get(ids.size() - 1);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BenchStack.metrics.url()
                    + "/api/v1/fleet/latest?device_id=" + last)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("items").size() == 1) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("metrics-service did not learn the bench devices from inventory.devices in 5 min");
    }

    static String token(String inventory, String user, String password) throws Exception {
        return post(inventory + "/api/v1/auth/token", null, Map.of("username", user, "password", password))
                .path("access_token").asText();
    }

    static JsonNode post(String url, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
