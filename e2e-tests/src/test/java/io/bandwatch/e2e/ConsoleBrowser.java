package io.bandwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Debian Chromium (Playwright for Java, no browser download) on the console, with a watch on every
 * response the browser receives: a JWT-shaped token ({@code eyJ…}.{@code …}.{@code …}) in a URL, a header or a
 * body is recorded as a leak. Each user gets a browser context of their own (their own cookie jar).
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CONSOLE = Stack.CONSOLE;
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}");
    static final Path SHOTS = Path.of("target", "e2e", "console");

    private final Playwright playwright;
    private final Browser browser;
    private final List<Response> unread = Collections.synchronizedList(new ArrayList<>());
    final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    int scanned;

    ConsoleBrowser() {
        Path chromium = Path.of(System.getProperty("bandwatch.e2e.chromium", "/usr/bin/chromium"));
        assertThat(chromium).as("apt-get install chromium").exists();
        try {
            Files.createDirectories(SHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-dev-shm-usage")));
    }

    /** A new user's page (own cookies) at the given viewport, every response watched for tokens. */
    Page page(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setTimezoneId("UTC").setLocale("en-GB"));
        Page page = context.newPage();
        page.setDefaultTimeout(20_000);
        page.onResponse(r -> {
            check("URL", r.url(), r.url());
            unread.add(r);
        });
        page.onPageError(e -> System.err.println("e2e console page error: " + e));
        return page;
    }

    /** Logs in through the form and waits for the header (the user's session view is loaded). */
    static void login(Page page, String username, String password) {
        page.navigate(CONSOLE + "/#/fleet");
        page.fill("#login-form input[name=username]", username);
        page.fill("#login-form input[name=password]", password);
        page.click("#login-form button[type=submit]");
        page.waitForSelector("#top:not([hidden])");
    }

    /** Reads the headers and bodies of the responses seen since the last call and looks for tokens in them. */
    void scan() {
        List<Response> batch;
        synchronized (unread) {
            batch = new ArrayList<>(unread);
            unread.clear();
        }
        for (Response r : batch) {
            try {
                r.allHeaders().forEach((k, v) -> check("header " + k, r.url(), v));
                String type = r.headers().getOrDefault("content-type", "");
                if (!type.startsWith("image/") && r.status() != 204 && (r.status() < 300 || r.status() >= 400)) {
                    check("body", r.url(), new String(r.body(), StandardCharsets.UTF_8));
                }
                scanned++;
            } catch (PlaywrightException gone) {
                // the page that received it was closed or navigated away: its body is no longer kept
            }
        }
    }

    private void check(String where, String url, String text) {
        Matcher m = JWT.matcher(text == null ? "" : text);
        if (m.find()) {
            leaks.add(where + " of " + url + ": " + m.group().substring(0, 12) + "…");
        }
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
