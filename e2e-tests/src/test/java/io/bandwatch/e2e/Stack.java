package io.bandwatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running local stack as an operator sees it: the four services' public REST APIs on 127.0.0.1, the admin
 * password the local script generated, and the device test bed (testbed.json and the testbed script, for the
 * things an operator does to the network: shaping, taking a link down). Nothing here reaches into a service.
 */
final class Stack {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String INVENTORY = System.getProperty("bandwatch.e2e.inventory", "http://127.0.0.1:8081");
    static final String RUNNER = System.getProperty("bandwatch.e2e.runner", "http://127.0.0.1:8082");
    static final String METRICS = System.getProperty("bandwatch.e2e.metrics", "http://127.0.0.1:8083");
    static final String ALERT = System.getProperty("bandwatch.e2e.alert", "http://127.0.0.1:8084");
    /** The console: the web UI and its API, the one origin a browser talks to. */
    static final String CONSOLE = System.getProperty("bandwatch.e2e.console", "http://127.0.0.1:8080");

    /** An HTTP answer: status and body (JSON when it parses, else a text node). */
    record Answer(int status, JsonNode body, String text, HttpResponse<String> raw) {
        @Override
        public String toString() {
            return status + " " + (text.length() > 600 ? text.substring(0, 600) + "…" : text);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path state;
    final Path repo;
    final JsonNode bed;

    Stack() {
        String dir = System.getProperty("bandwatch.e2e.state", "");
        if (dir.isBlank() || dir.startsWith("${")) {
            throw new IllegalStateException("-Dbandwatch.e2e.state=<state folder of the running local stack> is required;"
                    + " run deploy/local/test/e2e-test.sh");
        }
        state = Path.of(dir);
        repo = Path.of("").toAbsolutePath().getParent();
        try {
            bed = JSON.readTree(state.resolve("testbed").resolve("testbed.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("no test bed in " + state + " (deploy/local/test/e2e-test.sh creates it)", e);
        }
    }

    String adminPassword() {
        try {
            return Files.readString(state.resolve("secrets").resolve("admin-password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode device(int i) {
        return bed.get("devices").get(i - 1);
    }

    JsonNode server(int j) {
        return bed.get("servers").get(j - 1);
    }

    String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** deploy/local/testbed with this stack's state folder (and the caller's BANDWATCH_TESTBED_ID). */
    String testbed(String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("deploy").resolve("local").resolve("testbed").toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("BANDWATCH_STATE_DIR", state.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("testbed " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ HTTP

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** GET with Accept: text/csv for the CSV export, application/json otherwise. */
    static Answer get(String url, String token) {
        String accept = url.contains(".csv") ? "text/csv, application/problem+json" : "application/json";
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET(), token);
    }

    /** GET as a signed-in console user: the session cookie ({@code bw_session=<id>}) instead of a token. */
    static Answer getWithCookie(String url, String cookie) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").header("Cookie", cookie)
                .GET(), null);
    }

    static Answer delete(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").DELETE(), token);
    }

    static Answer post(String url, String token, Object body) {
        return send(json(url).POST(HttpRequest.BodyPublishers.ofString(write(body))), token);
    }

    static Answer put(String url, String token, Object body) {
        return send(json(url).PUT(HttpRequest.BodyPublishers.ofString(write(body))), token);
    }

    /** PUT with If-Match: the ETag of the version the caller read (inventory's optimistic locking). */
    static Answer put(String url, String token, Object body, long version) {
        return send(json(url).header("If-Match", "\"" + version + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))), token);
    }

    private static HttpRequest.Builder json(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    /**
     * Registers an iperf3 server for an organization, or, when an earlier run on this stack registered that
     * host:port already (409: a host:port is registered once), shares it with this organization too.
     * Returns the server's id.
     */
    static String registerServer(String admin, String org, String host, int port) {
        ObjectNode body = object().put("host", host).put("port", port).put("enabled", true);
        body.putArray("organization_ids").add(org);
        Answer a = post(INVENTORY + "/api/v1/iperf3-servers", admin, body);
        if (a.status() == 201) {
            return a.body().get("id").asText();
        }
        if (a.status() != 409) {
            throw new IllegalStateException("registering " + host + ":" + port + ": " + a);
        }
        Answer list = get(INVENTORY + "/api/v1/iperf3-servers?size=500", admin);
        for (JsonNode server : list.body().path("items")) {
            if (host.equals(server.get("host").asText()) && port == server.get("port").asInt()) {
                ObjectNode share = object().put("host", host).put("port", port).put("enabled", true);
                ArrayNode orgs = share.putArray("organization_ids");
                server.get("organization_ids").forEach(orgs::add);
                orgs.add(org);
                Answer shared = put(INVENTORY + "/api/v1/iperf3-servers/" + server.get("id").asText(), admin, share,
                        server.get("version").asLong());
                if (shared.status() != 200) {
                    throw new IllegalStateException("sharing " + host + ":" + port + ": " + shared);
                }
                return shared.body().get("id").asText();
            }
        }
        throw new IllegalStateException("409 for " + host + ":" + port + " but the admin does not see it: " + list);
    }

    static String token(String username, String password) {
        Answer a = post(INVENTORY + "/api/v1/auth/token", null, object().put("username", username).put("password", password));
        if (a.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + a);
        }
        return a.body().get("access_token").asText();
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer send(HttpRequest.Builder request, String token) {
        request.timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException notJson) {
                body = JSON.getNodeFactory().textNode(r.body());
            }
            return new Answer(r.statusCode(), body, r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
