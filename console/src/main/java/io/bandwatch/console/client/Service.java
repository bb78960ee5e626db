package io.bandwatch.console.client;

import io.bandwatch.console.config.ConsoleConfig;
import java.util.Locale;

/** The four services the console calls, by the name used in {@code /console/api/{service}/...}. */
public enum Service {
    INVENTORY("inventory-service"),
    RUNNER("check-runner-service"),
    METRICS("metrics-service"),
    ALERT("alert-service");

    private final String displayName;

    Service(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The service of a path segment (inventory, runner, metrics, alert), or null. */
    public static Service of(String segment) {
        for (Service s : values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(segment)) {
                return s;
            }
        }
        return null;
    }

    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String baseUrl(ConsoleConfig config) {
        String url = switch (this) {
            case INVENTORY -> config.services().inventory();
            case RUNNER -> config.services().runner();
            case METRICS -> config.services().metrics();
            case ALERT -> config.services().alert();
        };
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
