package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The device page in a real browser (Debian's Chromium, headless, driven by Playwright with no browser download):
 * the charts render with the expected number of points, the range buttons change them, the tooltip shows adaptive
 * units, and each chart has its CSV link. A screenshot is saved to target/browser/device-page.png.
 */
@QuarkusTest
class DevicePageBrowserTest {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    @TestHTTPResource("/")
    URL root;

    @Test
    @SuppressWarnings("unchecked")
    void chartsRenderAndRangeButtonsChangeThem() throws Exception {
        assertThat(CHROMIUM).as("apt-get install chromium").exists();
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        UUID iperf = UUID.randomUUID();
        UUID ping = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Fixtures.publish(Fixtures.device(device, org, "Browser router"));
        // 3 iperf3 runs in the last day, 2 more earlier in the week; 4 pings in the last day
        for (Duration ago : List.of(Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                Duration.ofDays(3), Duration.ofDays(5))) {
            Fixtures.publish(Fixtures.iperf3(org, device, iperf, now.minus(ago), 9_870_000, 9_000_000, 1_200_000_000L));
        }
        for (int i = 1; i <= 4; i++) {
            Fixtures.publish(Fixtures.ping(org, device, ping, now.minus(Duration.ofHours(i)),
                    PingMetrics.reachable(0, 1, 2, 3)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.count("iperf3", "iperf3_result", device) == 5
                && Fixtures.count("ping", "reachable", device) == 4);

        String token = TestJwt.user("viewer", Map.of(org, "viewer"));
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-dev-shm-usage")));
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 1800));
            page.navigate(root + "devices/" + device + "?tz=UTC&token=" + token);
            page.waitForSelector("body[data-state=ready]");
            assertThat(page.url()).as("the token leaves the address bar").doesNotContain("token=");
            assertThat(page.textContent("#device-title")).isEqualTo("Browser router");

            Map<String, List<Number>> week = (Map<String, List<Number>>) page.evaluate("window.bandwatch.pointCounts()");
            assertThat(week.keySet()).containsExactlyInAnyOrder("bandwidth", "transfer", "retransmits", "jitter",
                    "datagram", "datagram_loss", "iperf3_result", "uptime", "packet_loss", "rtt");
            assertThat(week.get("bandwidth")).containsExactly(5, 5, 5);
            assertThat(week.get("rtt")).containsExactly(4, 4, 4);
            assertThat(page.locator("section.chart canvas").count()).isGreaterThanOrEqualTo(10);
            assertThat(page.locator("a.csv").count()).isEqualTo(10);

            // tooltip with adaptive units
            page.evaluate("window.bandwatch.instances.bandwidth.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})");
            page.waitForFunction("document.querySelector('#chart-bandwidth').innerText.includes('9.87 Mbps')");
            page.evaluate("window.bandwatch.instances.transfer.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})");
            page.waitForFunction("document.querySelector('#chart-transfer').innerText.includes('1.2 GB')");
            assertThat(page.textContent("#chart-bandwidth .summary")).contains("mean 9.87 Mbps");

            Files.createDirectories(Paths.get("target/browser"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/browser/device-page.png"))
                    .setFullPage(true));

            page.click("button[data-range='1d']");
            page.waitForFunction("window.bandwatch.data && window.bandwatch.data.interval === '10m'"
                    + " && document.body.dataset.state === 'ready'");
            Map<String, List<Number>> day = (Map<String, List<Number>>) page.evaluate("window.bandwatch.pointCounts()");
            assertThat(day.get("bandwidth")).containsExactly(3, 3, 3);
            assertThat(day.get("uptime")).containsExactly(4);
            page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/browser/device-page-1d.png"))
                    .setFullPage(true));

            // CSV download of one chart, with the page's token
            com.microsoft.playwright.Download download = page.waitForDownload(
                    () -> page.click("#chart-bandwidth a.csv"));
            String csv = Files.readString(download.path());
            assertThat(csv.lines().findFirst().orElse("")).startsWith("time,sent_bps_tcp (bps)");
            assertThat(csv.lines().filter(l -> l.contains(",9870000,")).count()).isEqualTo(3);

            // a custom date range: the last two days, 20-minute intervals
            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
            String twoDaysAgo = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
            page.fill("#custom-start", twoDaysAgo);
            page.fill("#custom-end", today);
            page.click("#custom-apply");
            page.waitForFunction("window.bandwatch.data.interval === '20m' && document.body.dataset.state === 'ready'");
            Map<String, List<Number>> custom = (Map<String, List<Number>>) page.evaluate(
                    "window.bandwatch.pointCounts()");
            assertThat(custom.get("bandwidth")).containsExactly(3, 3, 3);

            page.click("button[data-range='365d']");
            page.waitForFunction("window.bandwatch.data.interval === '7d' && document.body.dataset.state === 'ready'");
            Map<String, List<Number>> year = (Map<String, List<Number>>) page.evaluate("window.bandwatch.pointCounts()");
            assertThat(year.get("bandwidth").get(0).intValue()).as("5 runs within a week: 1 or 2 weekly means").isBetween(1, 2);
            browser.close();
        }
    }
}
