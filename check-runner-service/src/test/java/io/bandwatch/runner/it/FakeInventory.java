package io.bandwatch.runner.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bandwatch.testing.TestJwt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands in for inventory-service's {@code POST /api/v1/auth/token} and internal endpoints, with the test bed's
 * real credentials, exactly as the lead's contract describes them. (The real inventory-service, as a child
 * process, is exercised by {@link RunnerProcessesIT}.)
 */
public final class FakeInventory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String password = UUID.randomUUID().toString();
    private final String token = TestJwt.service("check-runner");
    private final Map<UUID, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    private final Map<UUID, String> pinned = new ConcurrentHashMap<>();
    /** Host keys reported, in order: device id and fingerprint. */
    public final List<Map.Entry<UUID, String>> reported = new CopyOnWriteArrayList<>();
    /** Every run-secrets call: check id and the server asked for. */
    public final List<Map.Entry<UUID, String>> secretCalls = new CopyOnWriteArrayList<>();

    FakeInventory() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String servicePassword() {
        return password;
    }

    public void secrets(UUID checkId, Map<String, Object> runSecrets) {
        secrets.put(checkId, runSecrets);
    }

    public void pin(UUID deviceId, String fingerprint) {
        pinned.put(deviceId, fingerprint);
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/api/v1/auth/token")) {
                Map<?, ?> body = JSON.readValue(exchange.getRequestBody(), Map.class);
                if ("check-runner".equals(body.get("username")) && password.equals(body.get("password"))) {
                    send(exchange, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 3600));
                } else {
                    send(exchange, 401, Map.of("title", "Unauthorized", "status", 401));
                }
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of("title", "Unauthorized", "status", 401));
                return;
            }
            String[] parts = path.split("/");
            // /api/v1/internal/checks/{id}/run-secrets
            if (method.equals("GET") && parts.length == 7 && parts[4].equals("checks") && parts[6].equals("run-secrets")) {
                UUID checkId = UUID.fromString(parts[5]);
                String query = exchange.getRequestURI().getQuery();
                secretCalls.add(Map.entry(checkId, query == null ? "" : query));
                Map<String, Object> answer = secrets.get(checkId);
                if (answer == null) {
                    send(exchange, 404, Map.of("title", "Not found", "status", 404));
                } else {
                    send(exchange, 200, answer);
                }
                return;
            }
            // /api/v1/internal/devices/{id}/host-key
            if (method.equals("PUT") && parts.length == 7 && parts[4].equals("devices") && parts[6].equals("host-key")) {
                UUID deviceId = UUID.fromString(parts[5]);
                String fingerprint = (String) JSON.readValue(exchange.getRequestBody(), Map.class).get("fingerprint");
                reported.add(Map.entry(deviceId, fingerprint));
                String existing = pinned.putIfAbsent(deviceId, fingerprint);
                if (existing == null || existing.equals(fingerprint)) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    send(exchange, 409, Map.of("title", "Conflict", "status", 409));
                }
                return;
            }
            send(exchange, 404, Map.of("title", "Not found", "status", 404));
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("title", String.valueOf(e), "status", 500));
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String read(java.nio.file.Path path) {
        try {
            return java.nio.file.Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
