package io.bandwatch.inventory.security;

import io.bandwatch.inventory.config.InventoryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing at {@code POST /api/v1/auth/token}, per user name and per source address: past a number of
 * failures within the window, each further attempt must wait a delay that doubles with every failure (1 s, 2 s, 4 s …)
 * up to the lockout, and is answered 429 with {@code Retry-After} without the password being checked. A success
 * clears the user name's count. The source limit is higher than the user limit, so an attack on one account does not
 * lock out the other users behind the same address, while spraying many accounts from one address is slowed too.
 * Counts live in this replica's memory: with N replicas an attacker gets at most N times the attempts.
 */
@ApplicationScoped
public class LoginThrottle {

    private record Failures(int count, long firstMillis, long lastMillis) {
    }

    private final Map<String, Failures> byUser = new ConcurrentHashMap<>();
    private final Map<String, Failures> bySource = new ConcurrentHashMap<>();
    private final InventoryConfig.LoginThrottle config;
    private final Clock clock;
    private final Counter failed;
    private final Counter throttled;

    @Inject
    public LoginThrottle(InventoryConfig config, MeterRegistry registry) {
        this(config.auth().loginThrottle(), Clock.systemUTC(), registry);
    }

    public LoginThrottle(InventoryConfig.LoginThrottle config, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.failed = Counter.builder("bandwatch_login_failures").description("sign-ins refused for a wrong password, "
                + "an unknown or a disabled user").register(registry);
        this.throttled = Counter.builder("bandwatch_login_throttled").description("sign-in attempts answered 429 "
                + "before their password was checked").register(registry);
    }

    /** How long this attempt must still wait, or empty when it may go ahead. Counts a refusal in the metric. */
    public Optional<Duration> waitFor(String username, String source) {
        long now = clock.millis();
        long wait = Math.max(wait(byUser.get(key(username)), config.userFailures(), now),
                wait(bySource.get(source), config.sourceFailures(), now));
        if (wait <= 0) {
            return Optional.empty();
        }
        throttled.increment();
        return Optional.of(Duration.ofMillis(wait));
    }

    public void failed(String username, String source) {
        failed.increment();
        long now = clock.millis();
        count(byUser, key(username), now);
        count(bySource, source, now);
        if (byUser.size() + bySource.size() > 100_000) {
            long horizon = now - config.window().toMillis();
            byUser.values().removeIf(f -> f.lastMillis() < horizon);
            bySource.values().removeIf(f -> f.lastMillis() < horizon);
        }
    }

    public void succeeded(String username) {
        byUser.remove(key(username));
    }

    private void count(Map<String, Failures> map, String key, long now) {
        long window = config.window().toMillis();
        map.compute(key, (k, f) -> f == null || now - f.lastMillis() > window ? new Failures(1, now, now)
                : new Failures(f.count() + 1, f.firstMillis(), now));
    }

    /** The delay still to wait after {@code f}: none below the limit, then 1 s doubled per failure, capped. */
    private long wait(Failures f, int limit, long now) {
        if (f == null || f.count() < limit || now - f.lastMillis() > config.window().toMillis()) {
            return 0;
        }
        int over = Math.min(f.count() - limit, 30);
        long delay = Math.min(1000L << over, config.lockout().toMillis());
        return f.lastMillis() + delay - now;
    }

    private static String key(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }
}
