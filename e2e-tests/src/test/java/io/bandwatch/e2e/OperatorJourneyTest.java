package io.bandwatch.e2e;

import static io.bandwatch.e2e.Stack.ALERT;
import static io.bandwatch.e2e.Stack.INVENTORY;
import static io.bandwatch.e2e.Stack.METRICS;
import static io.bandwatch.e2e.Stack.RUNNER;
import static io.bandwatch.e2e.Stack.get;
import static io.bandwatch.e2e.Stack.object;
import static io.bandwatch.e2e.Stack.post;
import static io.bandwatch.e2e.Stack.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import io.bandwatch.e2e.Stack.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bandwatch end to end, as an operator uses it: only the public REST APIs of the four running services (and the
 * device page in a real browser), against real devices of the test bed (sshd + iperf3 in network namespaces).
 *
 * <p>The test bed (made by deploy/local/test/e2e-test.sh): servers 1, 2, 3 shaped to 5, 20 and 40 Mbit/s; devices
 * 1-4 plain, device 5 without iperf3, device 6 with its sshd down. Device i's iperf3 check uses server i (device 4
 * the whole pool, device 5 server 2, device 6 server 3). The steps run in order and build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorJourneyTest {

    static final Duration RUN_WAIT = Duration.ofSeconds(150);
    static final Duration EVENT_WAIT = Duration.ofSeconds(60);
    static final double THRESHOLD = 10_000_000;
    static final Duration TOLERANCE = Duration.ofSeconds(15);
    static final Map<Integer, Double> SHAPE_BPS = Map.of(1, 5e6, 2, 20e6, 3, 40e6);
    static final int NO_IPERF3 = 5;
    static final int SSHD_DOWN = 6;

    Stack stack;
    String suffix;
    String admin;
    String operator;
    String operatorPassword;
    String org;
    final Map<Integer, String> servers = new HashMap<>();     // test bed server j -> inventory id
    final Map<String, Integer> serverByHost = new HashMap<>(); // address -> j
    final Map<Integer, String> devices = new HashMap<>();     // test bed device i -> inventory id
    final Map<Integer, String> iperfChecks = new HashMap<>();
    final Map<Integer, String> pingChecks = new HashMap<>();
    final Map<Integer, JsonNode> firstRuns = new HashMap<>();

    @BeforeAll
    void stack() {
        stack = new Stack();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    void restoreTestBed() {
        // leave the network as the test bed script made it, whatever failed
        try {
            stack.testbed("link", "up", "4");
        } catch (RuntimeException e) {
            System.err.println("e2e: could not bring device 4's link up again: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- 1. set-up through the APIs

    @Test
    @Order(1)
    void adminCreatesOrganizationOperatorServersAndDevices() {
        admin = Stack.token("admin", stack.adminPassword());
        org = created(post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "e2e-" + suffix).put("enabled", true))).get("id").asText();

        operatorPassword = "op-" + UUID.randomUUID();
        ObjectNode user = object().put("username", "operator-" + suffix).put("password", operatorPassword)
                .put("superuser", false);
        user.putArray("memberships").addObject().put("organization_id", org).put("role", "operator");
        created(post(INVENTORY + "/api/v1/users", admin, user));
        operator = Stack.token("operator-" + suffix, operatorPassword);

        for (int j = 1; j <= 3; j++) {
            JsonNode s = stack.server(j);
            // registered by an earlier run on this stack: shared with this organization too
            servers.put(j, Stack.registerServer(admin, org, s.get("address").asText(), s.get("port").asInt()));
            serverByHost.put(s.get("address").asText(), j);
        }
        for (int i = 1; i <= 6; i++) {
            JsonNode d = stack.device(i);
            ObjectNode body = object().put("organization_id", org).put("name", "e2e-router-" + i)
                    .put("address", d.get("address").asText()).put("ssh_port", d.get("ssh_port").asInt())
                    .put("ssh_user", d.get("user").asText()).put("private_key", stack.read(d.get("ed25519_key").asText()))
                    .put("host_key_fingerprint", d.get("host_key_fingerprint").asText()).put("enabled", true)
                    .put("create_default_checks", false);
            body.putArray("tags").add("e2e");
            JsonNode device = created(post(INVENTORY + "/api/v1/devices", admin, body));
            assertThat(device.has("private_key")).as("the device's key is write-only").isFalse();
            devices.put(i, device.get("id").asText());
        }
    }

    @Test
    @Order(2)
    void operatorCreatesChecksWithOpenWispParameters() {
        // the operator may not create devices (owner), but writes checks
        Answer refused = post(INVENTORY + "/api/v1/devices", operator, object().put("organization_id", org)
                .put("name", "not-allowed").put("address", "198.18.9.9").put("ssh_user", "x").put("password", "x"));
        assertThat(refused.status()).as("an operator creating a device: %s", refused).isEqualTo(403);

        Map<Integer, List<Integer>> hosts = Map.of(1, List.of(1), 2, List.of(2), 3, List.of(3), 4, List.of(1, 2, 3),
                5, List.of(2), 6, List.of(3));
        for (int i = 1; i <= 6; i++) {
            ObjectNode params = object();
            ArrayNode host = params.putArray("host");
            hosts.get(i).forEach(j -> host.add(stack.server(j).get("address").asText()));
            params.putObject("client_options").put("time", 3);
            iperfChecks.put(i, created(post(INVENTORY + "/api/v1/checks", operator, check(i, "iperf3", params)))
                    .get("id").asText());
            pingChecks.put(i, created(post(INVENTORY + "/api/v1/checks", operator, check(i, "ping", object())))
                    .get("id").asText());
        }
        // a shell injection attempt in a string option is refused by validation, naming the field
        ObjectNode evil = object();
        evil.putArray("host").add("198.18.0.101; rm -rf /");
        Answer bad = post(INVENTORY + "/api/v1/checks", operator, check(1, "iperf3", evil));
        assertThat(bad.status()).as("%s", bad).isEqualTo(400);
        assertThat(bad.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(bad.text()).contains("params.host");
    }

    @Test
    @Order(3)
    void operatorSetsShortTolerances() {
        // alert-service created the default settings when the checks appeared on Kafka
        JsonNode bandwidth = awaitSetting(iperfChecks.get(1), "sent_bps_tcp");
        assertThat(bandwidth.get("threshold").asDouble()).as("built-in default threshold").isEqualTo(THRESHOLD);
        assertThat(bandwidth.get("status").asText()).isEqualTo("ok");
        Answer changed = put(ALERT + "/api/v1/alert-settings/" + bandwidth.get("id").asText(), operator,
                object().put("operator", "<").put("threshold", THRESHOLD).put("tolerance", TOLERANCE.toString())
                        .put("active", true));
        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        assertThat(changed.body().get("tolerance").asText()).isEqualTo("PT15S");

        JsonNode reachable = awaitSetting(pingChecks.get(4), "reachable");
        Answer ping = put(ALERT + "/api/v1/alert-settings/" + reachable.get("id").asText(), operator,
                object().put("operator", "<").put("threshold", 1).put("tolerance", "PT0S").put("active", true));
        assertThat(ping.status()).as("%s", ping).isEqualTo(200);
    }

    // ---------------------------------------------------------------- 2. runs, results, charts

    @Test
    @Order(4)
    void runNowMeasuresEveryDeviceAndCodesTheFailures() {
        Instant asked = Instant.now();
        for (int i = 1; i <= 6; i++) {
            runNow(iperfChecks.get(i));
            runNow(pingChecks.get(i));
        }
        for (int i = 1; i <= 6; i++) {
            firstRuns.put(i, awaitRun(iperfChecks.get(i), asked, 1));
            JsonNode ping = awaitRun(pingChecks.get(i), asked, 1);
            assertThat(ping.get("status").asText()).as("ping of device %d: %s", i, ping).isEqualTo("ok");
        }
        for (int i = 1; i <= 4; i++) {
            JsonNode run = firstRuns.get(i);
            assertThat(run.get("status").asText()).as("device %d: %s", i, run).isEqualTo("ok");
            assertThat(run.get("trigger").asText()).isEqualTo("request");
        }
        assertThat(firstRuns.get(1).path("server").path("host").asText()).isEqualTo(stack.server(1).get("address").asText());
        JsonNode noIperf3 = firstRuns.get(NO_IPERF3);
        assertThat(noIperf3.get("status").asText()).as("%s", noIperf3).isEqualTo("failed");
        assertThat(noIperf3.path("error").path("code").asText()).isEqualTo("iperf3_not_installed");
        JsonNode sshdDown = firstRuns.get(SSHD_DOWN);
        assertThat(sshdDown.get("status").asText()).as("%s", sshdDown).isEqualTo("failed");
        assertThat(sshdDown.path("error").path("code").asText()).isEqualTo("ssh_unreachable");
        // the pool: every server served one test at a time, so no run of ours met a busy server
        for (JsonNode run : firstRuns.values()) {
            assertThat(run.path("error").path("code").asText()).isNotEqualTo("server_busy");
        }
    }

    @Test
    @Order(5)
    void chartsShowTheMeasuredBandwidthAndTheFailedPoints() {
        for (int i = 1; i <= 4; i++) {
            int device = i;
            int server = serverByHost.get(firstRuns.get(i).path("server").path("host").asText());
            double expected = SHAPE_BPS.get(server);
            await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode charts = charts(device, operator);
                Double received = lastValue(chart(charts, "bandwidth"), "TCP received");
                assertThat(received).as("device %d TCP received bps behind server %d (%s)", device, server, expected)
                        .isNotNull().isBetween(expected * 0.8, expected * 1.2);
                assertThat(lastValue(chart(charts, "iperf3_result"), "Successful runs")).isEqualTo(100.0);
                assertThat(chart(charts, "bandwidth").get("unit").asText()).isEqualTo("bps");
                assertThat(chart(charts, "bandwidth").get("adaptive_prefix").asBoolean()).isTrue();
            });
        }
        for (int i : List.of(NO_IPERF3, SSHD_DOWN)) {
            int device = i;
            await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode charts = charts(device, operator);
                assertThat(lastValue(chart(charts, "iperf3_result"), "Successful runs"))
                        .as("device %d: a failed point", device).isEqualTo(0.0);
                assertThat(lastValue(chart(charts, "bandwidth"), "TCP received")).as("no bandwidth of a failed run").isNull();
            });
        }
        Answer csv = get(METRICS + "/api/v1/devices/" + devices.get(1) + "/charts/bandwidth.csv?time=1d", operator);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.text().lines().count()).as("CSV: a header and at least one interval").isGreaterThanOrEqualTo(2);
    }

    // ---------------------------------------------------------------- 3. alerts and health

    @Test
    @Order(6)
    void theShapedDeviceGetsAProblemAfterTheToleranceThenARecoveryWhenTheShapingIsLifted() {
        JsonNode first = firstRuns.get(1);
        Instant firstFinished = Instant.parse(first.get("finished_at").asText());
        assertThat(notifications(1, "problem")).as("one low point never alerts with a tolerance").isEmpty();

        // a second low point at least the tolerance later (event time) crosses for the whole tolerance
        sleepUntil(firstFinished.plus(TOLERANCE).plusSeconds(1));
        Instant asked = Instant.now();
        runNow(iperfChecks.get(1));
        JsonNode second = awaitRun(iperfChecks.get(1), asked, 1);
        assertThat(second.get("status").asText()).isEqualTo("ok");

        AtomicReference<JsonNode> problem = new AtomicReference<>();
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<JsonNode> found = notifications(1, "problem");
            assertThat(found).hasSize(1);
            problem.set(found.get(0));
        });
        JsonNode p = problem.get();
        assertThat(p.get("field").asText()).isEqualTo("sent_bps_tcp");
        assertThat(p.get("value").asDouble()).isLessThan(THRESHOLD).isGreaterThan(3e6);
        assertThat(p.get("message").asText()).contains("e2e-router-1").contains("10 Mbps");
        awaitHealth(1, "problem");

        // lift the shaping: the next run measures far above 10 Mbit/s and recovers the setting
        stack.testbed("unshape", "1");
        asked = Instant.now();
        runNow(iperfChecks.get(1));
        JsonNode third = awaitRun(iperfChecks.get(1), asked, 1);
        assertThat(third.get("status").asText()).isEqualTo("ok");
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(notifications(1, "recovery")).hasSize(1));
        JsonNode recovery = notifications(1, "recovery").get(0);
        assertThat(recovery.get("value").asDouble()).isGreaterThan(THRESHOLD);
        assertThat(notifications(1, "problem")).as("still exactly one problem").hasSize(1);
        awaitHealth(1, "ok");
    }

    @Test
    @Order(7)
    void anUnreachableDeviceTurnsCritical() {
        awaitHealth(4, "ok"); // its ping and iperf3 runs of step 4 were good

        stack.testbed("link", "down", "4");
        Instant asked = Instant.now();
        runNow(pingChecks.get(4));
        JsonNode down = awaitRun(pingChecks.get(4), asked, 1);
        assertThat(down.get("status").asText()).as("an unreachable device is a measurement, not a failure: %s", down)
                .isEqualTo("ok");
        awaitHealth(4, "critical");
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(notifications(4, "problem")).extracting(n -> n.get("field").asText()).contains("reachable"));
        Answer health = get(ALERT + "/api/v1/device-health/" + devices.get(4), operator);
        assertThat(health.body().path("status").asText()).as("%s", health).isEqualTo("critical");
        // the devices list filters by health, as the fleet overview does
        Answer critical = get(INVENTORY + "/api/v1/devices?organization_id=" + org + "&health=critical", operator);
        assertThat(ids(critical.body().get("items"))).containsExactly(devices.get(4));
        stack.testbed("link", "up", "4");
    }

    // ---------------------------------------------------------------- 4. tenancy

    @Test
    @Order(8)
    void aViewerOfAnotherOrganizationSeesNoneOfIt() {
        String other = created(post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "e2e-other-" + suffix).put("enabled", true))).get("id").asText();
        String password = "viewer-" + UUID.randomUUID();
        ObjectNode user = object().put("username", "viewer-" + suffix).put("password", password).put("superuser", false);
        user.putArray("memberships").addObject().put("organization_id", other).put("role", "viewer");
        created(post(INVENTORY + "/api/v1/users", admin, user));
        String viewer = Stack.token("viewer-" + suffix, password);

        String device = devices.get(1);
        String check = iperfChecks.get(1);
        for (String url : List.of(INVENTORY + "/api/v1/devices/" + device, INVENTORY + "/api/v1/checks/" + check,
                INVENTORY + "/api/v1/iperf3-servers/" + servers.get(1),
                RUNNER + "/api/v1/checks/" + check + "/schedule",
                METRICS + "/api/v1/devices/" + device + "/charts?time=1d",
                METRICS + "/api/v1/devices/" + device + "/charts/bandwidth.csv",
                ALERT + "/api/v1/device-health/" + device,
                ALERT + "/api/v1/notifications/" + notifications(1, "problem").get(0).get("id").asText())) {
            Answer a = get(url, viewer);
            assertThat(a.status()).as("GET %s as a viewer of another organization: %s", url, a).isEqualTo(404);
        }
        for (String url : List.of(INVENTORY + "/api/v1/devices?size=500", INVENTORY + "/api/v1/checks?size=500",
                RUNNER + "/api/v1/runs?device=" + device, ALERT + "/api/v1/notifications?device_id=" + device,
                ALERT + "/api/v1/alert-settings?device_id=" + device)) {
            Answer a = get(url, viewer);
            assertThat(a.status()).as("GET %s: %s", url, a).isIn(200, 404);
            if (a.status() == 200) {
                JsonNode items = a.body().isArray() ? a.body() : a.body().path("items");
                assertThat(items.isArray()).as("%s", a).isTrue();
                assertThat(items.size()).as("GET %s shows nothing of the other organization: %s", url, a).isZero();
            }
        }
        // and the operator of the first organization sees its own
        assertThat(get(INVENTORY + "/api/v1/devices/" + device, operator).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- 5. the device page, in the console

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void theDevicePageRendersInTheConsole() {
        Path out = Path.of("target", "e2e");
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            Page page = browser.page(1400, 2000);
            ConsoleBrowser.login(page, "operator-" + suffix, operatorPassword);
            page.navigate(ConsoleBrowser.CONSOLE + "/#/devices/" + devices.get(1));
            page.waitForSelector("#device-charts[data-state=ready]", new Page.WaitForSelectorOptions().setTimeout(30_000));
            assertThat(page.textContent("#device-title")).isEqualTo("e2e-router-1");
            Map<String, List<Number>> counts = (Map<String, List<Number>>) page.evaluate("window.bandwatch.pointCounts()");
            assertThat(counts).containsKeys("bandwidth", "iperf3_result", "uptime", "rtt");
            assertThat(counts.get("bandwidth")).as("three traces with the runs of the last hour").hasSize(3)
                    .allSatisfy(n -> assertThat(n.intValue()).isGreaterThanOrEqualTo(1));
            // the 10 Mbit/s setting of step 3 is drawn on the bandwidth chart
            Number line = (Number) page.evaluate("window.bandwatch.charts.bandwidth.getOption().series[0].markLine.data[0].yAxis");
            assertThat(line.doubleValue()).isEqualTo(THRESHOLD);
            page.click("#ranges button[data-range='1d']");
            page.waitForSelector("#ranges button[data-range='1d'][aria-pressed=true]");
            page.waitForSelector("#device-charts[data-state=ready]");
            Map<String, List<Number>> day = (Map<String, List<Number>>) page.evaluate("window.bandwatch.pointCounts()");
            assertThat(day.get("bandwidth")).allSatisfy(n -> assertThat(n.intValue()).isGreaterThanOrEqualTo(1));
            // the runs of steps 4 and 6 and the problem and recovery of step 6 are on the page too
            page.waitForSelector("#device-runs table");
            page.waitForSelector("#device-notifications table");
            assertThat(page.textContent("#device-notifications")).contains("problem").contains("recovery");
            page.screenshot(new Page.ScreenshotOptions().setPath(out.resolve("device-page.png")).setFullPage(true));
            browser.scan();
            assertThat(browser.leaks).as("JWT-shaped tokens the browser received").isEmpty();
        }
        assertThat(out.resolve("device-page.png")).isNotEmptyFile();
    }

    // ---------------------------------------------------------------- helpers

    private ObjectNode check(int device, String type, ObjectNode params) {
        ObjectNode body = object().put("device_id", devices.get(device)).put("name", type + " of e2e-router-" + device)
                .put("type", type).put("active", true);
        body.set("params", params);
        // nightly: in this test every run is a run-now
        body.putObject("schedule").put("cron", "0 3 * * *").put("time_zone", "UTC");
        return body;
    }

    private static JsonNode created(Answer a) {
        assertThat(a.status()).as("%s", a).isEqualTo(201);
        return a.body();
    }

    private void runNow(String check) {
        Answer a = post(INVENTORY + "/api/v1/checks/" + check + "/run", operator, object());
        assertThat(a.status()).as("run now: %s", a).isEqualTo(202);
    }

    /** The newest finished run of a check started after {@code since} (waits for it). */
    private JsonNode awaitRun(String check, Instant since, int atLeast) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(RUN_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Answer a = get(RUNNER + "/api/v1/runs?check=" + check, operator);
            assertThat(a.status()).as("%s", a).isEqualTo(200);
            List<JsonNode> runs = new ArrayList<>();
            for (JsonNode run : a.body()) {
                if (run.hasNonNull("finished_at") && Instant.parse(run.get("started_at").asText()).isAfter(since.minusSeconds(1))) {
                    runs.add(run);
                }
            }
            assertThat(runs).as("finished runs of check %s since %s", check, since).hasSizeGreaterThanOrEqualTo(atLeast);
            found.set(runs.get(0));
        });
        return found.get();
    }

    private JsonNode awaitSetting(String check, String field) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Answer a = get(ALERT + "/api/v1/alert-settings?check_id=" + check, operator);
            assertThat(a.status()).as("%s", a).isEqualTo(200);
            JsonNode match = null;
            for (JsonNode s : a.body()) {
                if (field.equals(s.get("field").asText())) {
                    match = s;
                }
            }
            assertThat(match).as("default setting %s of check %s", field, check).isNotNull();
            found.set(match);
        });
        return found.get();
    }

    private List<JsonNode> notifications(int device, String type) {
        Answer a = get(ALERT + "/api/v1/notifications?device_id=" + devices.get(device) + "&type=" + type, operator);
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        a.body().forEach(list::add);
        return list;
    }

    /** Health as inventory shows it (alert-service publishes it on devices.health, inventory consumes it). */
    private void awaitHealth(int device, String health) {
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Answer a = get(INVENTORY + "/api/v1/devices/" + devices.get(device), operator);
            assertThat(a.body().path("health").asText()).as("health of e2e-router-%d in inventory", device)
                    .isEqualTo(health);
        });
    }

    private JsonNode charts(int device, String token) {
        Answer a = get(METRICS + "/api/v1/devices/" + devices.get(device) + "/charts?time=1d&tz=UTC", token);
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        return a.body();
    }

    private static JsonNode chart(JsonNode charts, String id) {
        for (JsonNode c : charts.get("charts")) {
            if (id.equals(c.get("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id + " in " + charts);
    }

    /** The value of the newest interval that has one, or null when the trace has none. */
    private static Double lastValue(JsonNode chart, String trace) {
        for (JsonNode t : chart.get("traces")) {
            if (trace.equals(t.get("name").asText())) {
                Double last = null;
                for (JsonNode v : t.get("values")) {
                    if (!v.isNull()) {
                        last = v.asDouble();
                    }
                }
                return last;
            }
        }
        throw new AssertionError("no trace " + trace + " in " + chart);
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static void sleepUntil(Instant when) {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
