package io.bandwatch.e2e;

import static io.bandwatch.e2e.Stack.ALERT;
import static io.bandwatch.e2e.Stack.CONSOLE;
import static io.bandwatch.e2e.Stack.INVENTORY;
import static io.bandwatch.e2e.Stack.get;
import static io.bandwatch.e2e.Stack.object;
import static io.bandwatch.e2e.Stack.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.bandwatch.e2e.Stack.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
 * The operator console in headless Chromium against the running suite (no service is mocked): an owner, an
 * operator and a viewer of a new organization each use it in a browser of their own. Set-up (organization, users,
 * sharing test bed server 2) goes through inventory's REST API as the admin; everything after it goes through the
 * console's pages, as a user clicks. Screenshots of every page land in target/e2e/console/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneyTest {

    static final Duration RUN_WAIT = Duration.ofSeconds(150);
    static final Duration EVENT_WAIT = Duration.ofSeconds(60);
    static final int DEVICE = 2;      // test bed device 2, iperf3 against server 2 (shaped to 20 Mbit/s)

    Stack stack;
    ConsoleBrowser browser;
    String suffix;
    String admin;
    String org;
    final Map<String, String> passwords = new HashMap<>();
    Page ownerPage;
    Page operatorPage;
    Page viewerPage;
    String deviceId;
    String checkId;

    @BeforeAll
    void setUp() {
        stack = new Stack();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = Stack.token("admin", stack.adminPassword());
        Answer created = post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "console-" + suffix).put("enabled", true));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        org = created.body().get("id").asText();
        for (String role : List.of("owner", "operator", "viewer")) {
            String password = role + "-" + UUID.randomUUID();
            ObjectNode user = object().put("username", role + "-" + suffix).put("password", password).put("superuser", false);
            user.putArray("memberships").addObject().put("organization_id", org).put("role", role);
            Answer u = post(INVENTORY + "/api/v1/users", admin, user);
            assertThat(u.status()).as("%s", u).isEqualTo(201);
            passwords.put(role, password);
        }
        JsonNode server = stack.server(DEVICE);
        Stack.registerServer(admin, org, server.get("address").asText(), server.get("port").asInt());
        browser = new ConsoleBrowser();
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private String user(String role) {
        return role + "-" + suffix;
    }

    // ---------------------------------------------------------------- sign-in

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedThenTheRightOneSignsIn() {
        ownerPage = browser.page(1280, 800);
        ownerPage.navigate(CONSOLE + "/#/fleet");
        ownerPage.fill("#login-form input[name=username]", user("owner"));
        ownerPage.fill("#login-form input[name=password]", "not-the-password");
        ownerPage.click("#login-form button[type=submit]");
        Locator error = ownerPage.locator("#login-form .form-error");
        error.waitFor();
        assertThat(error.textContent()).contains("wrong user name or password");
        assertThat(ownerPage.locator("#top").isHidden()).as("no header before signing in").isTrue();
        ConsoleBrowser.screenshot(ownerPage, "login-error.png");

        ownerPage.fill("#login-form input[name=password]", passwords.get("owner"));
        Response login = ownerPage.waitForResponse(r -> r.url().endsWith("/console/api/session")
                && "POST".equals(r.request().method()), () -> ownerPage.click("#login-form button[type=submit]"));
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.allHeaders().getOrDefault("set-cookie", "");
        assertThat(setCookie).contains("bw_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        ownerPage.waitForSelector("#top:not([hidden])");
        assertThat(ownerPage.textContent("#user")).contains(user("owner"));

        Cookie cookie = sessionCookie(ownerPage);
        assertThat(cookie.httpOnly).as("the session cookie is HttpOnly").isTrue();
        assertThat(cookie.sameSite).isEqualTo(SameSiteAttribute.STRICT);
        assertThat(cookie.path).isEqualTo("/");
        // and no script can read it
        assertThat((String) ownerPage.evaluate("document.cookie")).doesNotContain("bw_session");
        // nothing of the session is kept in web storage but the route to come back to
        assertThat((String) ownerPage.evaluate("JSON.stringify(Object.assign({}, localStorage, sessionStorage))"))
                .doesNotContain("eyJ").doesNotContain(cookie.value);
    }

    @Test
    @Order(2)
    void theOwnerAddsADeviceThroughTheForm() {
        ownerPage.navigate(CONSOLE + "/#/fleet");
        ownerPage.waitForSelector("#fleet-list");
        ownerPage.click("#add-device");
        Locator form = ownerPage.locator("#add-device-panel form");
        JsonNode d = stack.device(DEVICE);
        form.locator("select[name=organization_id]").selectOption(org);
        form.locator("input[name=name]").fill("console-router-" + suffix);
        form.locator("input[name=address]").fill(d.get("address").asText());
        form.locator("input[name=ssh_port]").fill(d.get("ssh_port").asText());
        form.locator("input[name=ssh_user]").fill(d.get("user").asText());
        form.locator("input[name=host_key_fingerprint]").fill(d.get("host_key_fingerprint").asText());
        form.locator("input[name=tags]").fill("console, e2e");
        form.locator("textarea[name=private_key]").fill(stack.read(d.get("ed25519_key").asText()));
        form.locator("input[name=create_default_checks]").uncheck();
        ConsoleBrowser.screenshot(ownerPage, "fleet-add-device.png");
        form.locator("button[type=submit]").click();
        ownerPage.waitForURL("**/#/devices/*");
        deviceId = ownerPage.url().replaceAll(".*#/devices/", "");
        ownerPage.waitForSelector("#device-title:has-text('console-router-" + suffix + "')");

        Answer device = get(INVENTORY + "/api/v1/devices/" + deviceId, admin);
        assertThat(device.status()).as("%s", device).isEqualTo(200);
        assertThat(device.body().get("organization_id").asText()).isEqualTo(org);
        assertThat(device.body().has("private_key")).isFalse();
    }

    // ---------------------------------------------------------------- the operator's work

    @Test
    @Order(3)
    void theOperatorSeesNoOwnerControlsAndCreatesAnIperf3CheckFixingAFieldError() {
        operatorPage = browser.page(1280, 800);
        ConsoleBrowser.login(operatorPage, user("operator"), passwords.get("operator"));
        operatorPage.waitForSelector("#fleet-list table");
        assertThat(operatorPage.locator("#add-device").count()).as("an operator cannot add devices").isZero();
        assertThat(operatorPage.locator("#nav-settings").isHidden()).as("no owner settings for an operator").isTrue();

        operatorPage.navigate(CONSOLE + "/#/devices/" + deviceId);
        operatorPage.click("#add-check");
        Locator form = operatorPage.locator(".check-new form");
        form.locator("input[name='params.host']").fill(stack.server(DEVICE).get("address").asText());
        form.locator("input[name='params.client_options.time']").fill("3");
        form.locator("input[name='params.client_options.parallel']").fill("500");
        // the schedule preview: the next 3 runs of the default nightly cron
        operatorPage.waitForCondition(() -> form.locator(".next-runs li").count() == 3);
        form.locator("button[type=submit]").click();
        Locator parallelError = form.locator(".field[data-field='params.client_options.parallel'] .field-error");
        operatorPage.waitForCondition(() -> !parallelError.textContent().isBlank());
        assertThat(parallelError.textContent()).as("the service's error next to its field").contains("500");
        ConsoleBrowser.screenshot(operatorPage, "check-field-error.png");

        form.locator("input[name='params.client_options.parallel']").fill("1");
        form.locator("button[type=submit]").click();
        Locator card = operatorPage.locator(".check-card[data-type=iperf3]");
        card.waitFor();
        checkId = card.getAttribute("data-check");
        Answer check = get(INVENTORY + "/api/v1/checks/" + checkId, admin);
        assertThat(check.body().at("/params/client_options/parallel").asInt()).isEqualTo(1);
        assertThat(check.body().at("/params/host/0").asText()).isEqualTo(stack.server(DEVICE).get("address").asText());
    }

    @Test
    @Order(4)
    void theOperatorEditsAnAlertSetting() {
        // alert-service creates the default settings once the check reaches it over Kafka
        Locator row = operatorPage.locator("#device-settings tr:has-text('TCP sent bandwidth')");
        await().atMost(EVENT_WAIT).pollInSameThread().pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.scan();
            operatorPage.reload();
            operatorPage.waitForSelector("#device-settings h2");
            operatorPage.waitForSelector("#device-settings .state, #device-settings table",
                    new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
            operatorPage.waitForTimeout(500);
            return row.count() == 1;
        });
        row.locator("button[data-edit-setting]").click();
        Locator form = operatorPage.locator(".setting-edit form");
        // a bar no device reaches with no tolerance: the next run raises a problem at once
        form.locator("input[name=threshold]").fill("1000000000000");
        form.locator("input[name=tolerance]").fill("PT0S");
        form.locator("button[type=submit]").click();
        operatorPage.waitForSelector("#device-settings tr:has-text('TCP sent bandwidth'):has-text('1.00 Tbps')");

        Answer settings = get(ALERT + "/api/v1/alert-settings?check_id=" + checkId, admin);
        JsonNode tcp = null;
        for (JsonNode s : settings.body()) {
            if ("sent_bps_tcp".equals(s.get("field").asText())) {
                tcp = s;
            }
        }
        assertThat(tcp).as("%s", settings).isNotNull();
        assertThat(tcp.get("threshold").asDouble()).isEqualTo(1e12);
        assertThat(tcp.get("tolerance").asText()).isEqualTo("PT0S");
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void theOperatorRunsItNowAndWatchesTheLiveStateToTheFinishedRun() {
        Locator live = operatorPage.locator("[data-live='" + checkId + "']");
        operatorPage.click("[data-run='" + checkId + "']");
        Set<String> states = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        long deadline = System.currentTimeMillis() + RUN_WAIT.toMillis();
        String state = "";
        while (System.currentTimeMillis() < deadline) {
            state = String.valueOf(live.getAttribute("data-state"));
            states.add(state);
            String text = live.textContent();
            if (texts.isEmpty() || !texts.get(texts.size() - 1).equals(text)) {
                texts.add(text);
            }
            if (state.equals("ok") || state.equals("failed")) {
                break;
            }
            operatorPage.waitForTimeout(200);
        }
        System.out.println("e2e console: live states " + states + " texts " + texts);
        assertThat(state).as("live state, texts seen: %s", texts).isEqualTo("ok");
        assertThat(texts).as("the page showed the run on its server before it finished")
                .anySatisfy(t -> assertThat(t).startsWith("Running on server " + stack.server(DEVICE).get("address").asText()));
        assertThat(live.textContent()).startsWith("Finished ok");
        assertThat(operatorPage.url()).as("no reload, same route").endsWith("#/devices/" + deviceId);

        // the run in the recent runs, its points in the charts (metrics ingests within seconds)
        operatorPage.waitForSelector("#device-runs tr:has-text('iperf3'):has-text('ok')");
        await().atMost(EVENT_WAIT).pollInSameThread().pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            operatorPage.click("#ranges button[data-range='1d']");
            operatorPage.waitForSelector("#device-charts[data-state=ready]");
            Map<String, List<Number>> counts = (Map<String, List<Number>>) operatorPage.evaluate("window.bandwatch.pointCounts()");
            assertThat(counts).containsKey("bandwidth");
            assertThat(counts.get("bandwidth")).allSatisfy(n -> assertThat(n.intValue()).isGreaterThanOrEqualTo(1));
        });
        assertThat(operatorPage.locator("#chart-bandwidth a[data-csv]").getAttribute("href"))
                .startsWith("/console/api/metrics/devices/" + deviceId + "/charts/bandwidth.csv?time=1d");
        assertThat(operatorPage.textContent("#device-charts")).contains("Times in UTC");
        ConsoleBrowser.screenshot(operatorPage, "device.png");
        browser.scan();
    }

    @Test
    @Order(6)
    void theProblemIsNamedOnTheDevicePageAndTheOperatorMarksTheNotificationRead() {
        await().atMost(EVENT_WAIT).pollInSameThread().pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.scan();
            operatorPage.reload();
            operatorPage.waitForSelector("#device-health h2");
            // the setting (alert-service) and the device's health (inventory, from devices.health)
            return operatorPage.locator("#device-health .problems li:has-text('TCP sent bandwidth')").count() == 1
                    && "problem".equals(operatorPage.locator("#device-health .health").first().textContent());
        });
        ConsoleBrowser.screenshot(operatorPage, "device-problem.png");

        operatorPage.navigate(CONSOLE + "/#/notifications?device_id=" + deviceId + "&unread=true");
        Locator button = operatorPage.locator("#notifications button[data-read]");
        button.first().waitFor();
        assertThat(button.count()).isEqualTo(1);
        assertThat(operatorPage.locator("#unread").isVisible()).as("the unread count in the header").isTrue();
        String id = button.first().getAttribute("data-read");
        ConsoleBrowser.screenshot(operatorPage, "notifications.png");
        button.first().click();
        operatorPage.waitForSelector("#notifications tr:not(.unread) span.muted:text-is('read')");
        Answer n = get(ALERT + "/api/v1/notifications/" + id, admin);
        assertThat(n.body().get("read").asBoolean()).as("%s", n).isTrue();
        assertThat(n.body().get("field").asText()).isEqualTo("sent_bps_tcp");
        browser.scan();
    }

    // ---------------------------------------------------------------- the viewer

    @Test
    @Order(7)
    @SuppressWarnings("unchecked")
    void aViewerSeesNoWriteControlAndAForcedWriteIsRefused() {
        viewerPage = browser.page(390, 844);
        ConsoleBrowser.login(viewerPage, user("viewer"), passwords.get("viewer"));
        viewerPage.waitForSelector("#fleet-list table");
        assertThat(viewerPage.locator("#add-device").count()).isZero();
        ConsoleBrowser.screenshot(viewerPage, "fleet-phone-viewer.png");

        viewerPage.navigate(CONSOLE + "/#/devices/" + deviceId);
        viewerPage.waitForSelector(".check-card[data-check='" + checkId + "']");
        viewerPage.waitForSelector("#device-settings table");
        viewerPage.waitForSelector("#device-charts[data-state=ready]");
        for (String control : List.of("#add-check", "[data-run]", "[data-edit-setting]", ".check-card button")) {
            assertThat(viewerPage.locator(control).count()).as("a viewer sees no %s", control).isZero();
        }
        ConsoleBrowser.screenshot(viewerPage, "device-phone-viewer.png");

        // forcing the write the page hides: with the page's own CSRF token, the service still says no
        Map<String, Object> forced = (Map<String, Object>) viewerPage.evaluate("async (check) => {"
                + " const s = await (await fetch('/console/api/session')).json();"
                + " const r = await fetch('/console/api/inventory/checks/' + check + '/run', {method: 'POST',"
                + "   headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token}, body: '{}'});"
                + " return {status: r.status, type: r.headers.get('Content-Type'), body: await r.text()}; }", checkId);
        assertThat(((Number) forced.get("status")).intValue()).as("%s", forced).isEqualTo(403);
        assertThat((String) forced.get("type")).startsWith("application/problem+json");
        // and the same without the token is refused by the console before any service sees it
        Object noToken = viewerPage.evaluate("async (check) => (await fetch('/console/api/inventory/checks/' + check"
                + " + '/run', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})).status", checkId);
        assertThat(((Number) noToken).intValue()).isEqualTo(403);
        browser.scan();
    }

    // ---------------------------------------------------------------- the owner's pages

    @Test
    @Order(8)
    void theOwnersPagesRender() {
        ownerPage.navigate(CONSOLE + "/#/fleet");
        ownerPage.waitForSelector("#fleet-list table");
        ownerPage.waitForSelector("#fleet-summary .counts");
        assertThat(ownerPage.textContent("#fleet-list")).contains("console-router-" + suffix);
        ConsoleBrowser.screenshot(ownerPage, "fleet.png");

        ownerPage.navigate(CONSOLE + "/#/servers");
        ownerPage.waitForSelector("#pool table");
        ownerPage.waitForSelector("#capacity .capacity-bar, #capacity .state-error");
        ownerPage.waitForSelector("#servers table");
        assertThat(ownerPage.textContent("#servers")).contains(stack.server(DEVICE).get("address").asText());
        ConsoleBrowser.screenshot(ownerPage, "servers.png");

        ownerPage.navigate(CONSOLE + "/#/settings");
        ownerPage.waitForSelector("#members table");
        for (String role : List.of("owner", "operator", "viewer")) {
            assertThat(ownerPage.textContent("#members")).contains(user(role));
        }
        ownerPage.waitForSelector("#alert-defaults table");
        ownerPage.waitForSelector("#webhooks .panel-head");
        ConsoleBrowser.screenshot(ownerPage, "settings.png");
        browser.scan();
    }

    // ---------------------------------------------------------------- logout

    @Test
    @Order(9)
    void afterLogoutTheOldSessionCookieNoLongerWorks() throws Exception {
        Cookie cookie = sessionCookie(ownerPage);
        assertThat(consoleGet("/console/api/session", cookie.value).statusCode()).isEqualTo(200);
        ownerPage.click("#logout");
        ownerPage.waitForSelector("#login-form");
        assertThat(ownerPage.locator("#top").isHidden()).isTrue();
        for (String path : List.of("/console/api/session", "/console/api/inventory/devices/" + deviceId)) {
            HttpResponse<String> r = consoleGet(path, cookie.value);
            assertThat(r.statusCode()).as("GET %s with the old cookie: %s", path, r.body()).isEqualTo(401);
        }
        ConsoleBrowser.screenshot(ownerPage, "logged-out.png");
    }

    @Test
    @Order(10)
    void noResponseTheBrowserReceivedCarriedAJwt() {
        browser.scan();
        System.out.println("e2e console: " + browser.scanned + " responses scanned for tokens");
        assertThat(browser.scanned).as("responses scanned").isGreaterThan(50);
        assertThat(browser.leaks).as("JWT-shaped tokens in URLs, headers or bodies").isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static Cookie sessionCookie(Page page) {
        AtomicReference<Cookie> found = new AtomicReference<>();
        page.context().cookies(CONSOLE).forEach(c -> {
            if ("bw_session".equals(c.name)) {
                found.set(c);
            }
        });
        assertThat(found.get()).as("the bw_session cookie").isNotNull();
        return found.get();
    }

    private static HttpResponse<String> consoleGet(String path, String session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(CONSOLE + path)).header("Accept", "application/json")
                .header("Cookie", "bw_session=" + session).timeout(Duration.ofSeconds(10)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
