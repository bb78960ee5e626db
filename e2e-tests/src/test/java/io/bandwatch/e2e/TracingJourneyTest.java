package io.bandwatch.e2e;

import static io.bandwatch.e2e.Stack.INVENTORY;
import static io.bandwatch.e2e.Stack.RUNNER;
import static io.bandwatch.e2e.Stack.object;
import static io.bandwatch.e2e.Stack.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One "run now" is one trace: the operator's request (with the caller's W3C {@code traceparent}, as a gateway or
 * the console would send it) through inventory, its outbox and {@code check.requests}, the runner (claim, lease
 * wait, SSH, iperf3 TCP and UDP, its REST call back to inventory for the run's secrets), {@code check.results}, and
 * metrics-service's InfluxDB write and alert-service's evaluation. The services export to the {@link OtlpReceiver}
 * of this process (deploy/local/test/e2e-test.sh starts the stack with tracing on and the endpoint
 * {@code http://127.0.0.1:<bandwatch.e2e.otlp-port>}); the test looks only at what a collector receives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingJourneyTest {

    private static final Duration TRACE_WAIT = Duration.ofSeconds(120);
    private static final Set<String> SERVICES = Set.of("inventory-service", "check-runner-service", "metrics-service",
            "alert-service");
    private static final HexFormat HEX = HexFormat.of();

    Stack stack;
    OtlpReceiver otlp;
    String admin;
    String org;
    String device;

    @BeforeAll
    void start() {
        stack = new Stack();
        otlp = OtlpReceiver.session();
        admin = Stack.token("admin", stack.adminPassword());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        org = created(post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "e2e-tracing-" + suffix).put("enabled", true))).get("id").asText();
        JsonNode s = stack.server(1);
        Stack.registerServer(admin, org, s.get("address").asText(), s.get("port").asInt());
        JsonNode d = stack.device(1);
        ObjectNode body = object().put("organization_id", org).put("name", "e2e-traced-router")
                .put("address", d.get("address").asText()).put("ssh_port", d.get("ssh_port").asInt())
                .put("ssh_user", d.get("user").asText()).put("private_key", stack.read(d.get("ed25519_key").asText()))
                .put("host_key_fingerprint", d.get("host_key_fingerprint").asText()).put("enabled", true)
                .put("create_default_checks", false);
        device = created(post(INVENTORY + "/api/v1/devices", admin, body)).get("id").asText();
    }

    @Test
    void iperf3RunNowIsOneTraceThroughInventoryRunnerMetricsAndAlert() {
        ObjectNode params = object();
        params.putArray("host").add(stack.server(1).get("address").asText());
        params.putObject("client_options").put("time", 2);
        String check = check("iperf3", params);

        String traceId = runNow(check);
        List<OtlpReceiver.Received> trace = awaitTrace(traceId, List.of("check run", "claim", "lease wait", "ssh connect",
                "iperf3 tcp", "iperf3 udp"));
        report("iperf3 run-now", traceId, trace);

        Map<String, OtlpReceiver.Received> byId = trace.stream()
                .collect(Collectors.toMap(OtlpReceiver.Received::spanId, s -> s, (a, b) -> a, HashMap::new));
        // joined: every span's parent is a span of the trace, but the first one's, which is the caller's
        assertThat(trace).allSatisfy(s -> assertThat(byId.containsKey(s.parentSpanId()) || s.parentSpanId()
                .equals(callerSpan(traceId))).as("the parent of %s is in the trace", s).isTrue());
        assertThat(trace.stream().map(OtlpReceiver.Received::service).collect(Collectors.toSet()))
                .as("services in the trace").containsAll(SERVICES);
        // REST between services: the runner's call for the run's secrets is served by inventory inside the trace
        assertThat(trace).as("an inventory span whose parent is a runner span (REST client -> server)")
                .anySatisfy(s -> {
                    assertThat(s.service()).isEqualTo("inventory-service");
                    assertThat(byId.get(s.parentSpanId())).isNotNull()
                            .extracting(OtlpReceiver.Received::service).isEqualTo("check-runner-service");
                });
        // the batch spans: in the trace (the first traced record of their batch) or linked to it
        assertThat(batchSpan(traceId, trace, "metrics-service", "influxdb write")).as("metrics' InfluxDB write").isTrue();
        assertThat(batchSpan(traceId, trace, "alert-service", "evaluate")).as("alert's evaluation").isTrue();
        // the run's spans nest: lease wait, SSH and the two iperf3 commands inside the check run
        OtlpReceiver.Received run = named(trace, "check run");
        for (String inner : List.of("claim", "lease wait", "ssh connect", "iperf3 tcp", "iperf3 udp")) {
            assertThat(named(trace, inner).parentSpanId()).as("%s inside the check run", inner).isEqualTo(run.spanId());
        }
    }

    @Test
    void pingRunNowTracesFping() {
        String check = check("ping", object());
        String traceId = runNow(check);
        List<OtlpReceiver.Received> trace = awaitTrace(traceId, List.of("check run", "claim", "fping"));
        report("ping run-now", traceId, trace);
        assertThat(named(trace, "fping").parentSpanId()).isEqualTo(named(trace, "check run").spanId());
        assertThat(trace.stream().map(OtlpReceiver.Received::service).collect(Collectors.toSet()))
                .contains("inventory-service", "check-runner-service", "metrics-service");
    }

    // ---------------------------------------------------------------- helpers

    private String check(String type, ObjectNode params) {
        ObjectNode body = object().put("device_id", device).put("name", type + " traced").put("type", type)
                .put("active", true);
        body.set("params", params);
        // nightly: the only run is the run-now
        body.putObject("schedule").put("cron", "0 3 * * *").put("time_zone", "UTC");
        String id = created(post(INVENTORY + "/api/v1/checks", admin, body)).get("id").asText();
        // a run-now that reaches the runner before the check itself is dropped (unknown check): wait until it knows it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.get(RUNNER + "/api/v1/checks/" + id + "/schedule", admin).status() == 200);
        return id;
    }

    /** POST .../run with a new trace of the caller's; returns its trace id. */
    private String runNow(String check) {
        byte[] trace = new byte[16];
        ThreadLocalRandom.current().nextBytes(trace);
        String traceId = HEX.formatHex(trace);
        HttpRequest request = HttpRequest.newBuilder(URI.create(INVENTORY + "/api/v1/checks/" + check + "/run"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan(traceId) + "-01")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("run now: %s", r.body()).isEqualTo(202);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return traceId;
    }

    /** The caller's span id of a trace: derived from the trace id, so the test needs to keep nothing. */
    private static String callerSpan(String traceId) {
        return traceId.substring(0, 16);
    }

    private List<OtlpReceiver.Received> awaitTrace(String traceId, List<String> names) {
        await().atMost(TRACE_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<OtlpReceiver.Received> trace = otlp.trace(traceId);
            assertThat(trace.stream().map(OtlpReceiver.Received::name)).as("span names of %s (%d spans received in all)",
                    traceId, otlp.received()).containsAll(names);
            assertThat(trace.stream().map(OtlpReceiver.Received::service)
                    .anyMatch("metrics-service"::equals)).as("metrics-service spans").isTrue();
        });
        // what arrives in the exporters' next batches (the alert's evaluation may end after metrics' write)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                otlp.trace(traceId).stream().anyMatch(s -> s.service().equals("alert-service"))
                        || !otlp.linking(traceId).isEmpty());
        sleep(Duration.ofSeconds(3));
        return otlp.trace(traceId);
    }

    private boolean batchSpan(String traceId, List<OtlpReceiver.Received> trace, String service, String name) {
        return trace.stream().anyMatch(s -> s.service().equals(service) && s.name().equals(name))
                || otlp.linking(traceId).stream().anyMatch(s -> s.service().equals(service) && s.name().equals(name));
    }

    private static OtlpReceiver.Received named(List<OtlpReceiver.Received> trace, String name) {
        return trace.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace));
    }

    private void report(String what, String traceId, List<OtlpReceiver.Received> trace) {
        System.out.printf("tracing: %s trace %s: %d spans from %s, linked from %d batch spans of other traces:%n", what,
                traceId, trace.size(), trace.stream().map(OtlpReceiver.Received::service).distinct().sorted().toList(),
                otlp.linking(traceId).size());
        trace.forEach(s -> System.out.println("tracing:   " + s));
    }

    private static JsonNode created(Stack.Answer a) {
        assertThat(a.status()).as("%s", a).isEqualTo(201);
        return a.body();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
