package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Device health. CRITICAL when reachability is down, PROBLEM when an active alert setting is in
 * problem, UNKNOWN before any data, else OK. JSON: the lower-case name.
 */
public enum HealthStatus {
    OK,
    PROBLEM,
    CRITICAL,
    UNKNOWN;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
