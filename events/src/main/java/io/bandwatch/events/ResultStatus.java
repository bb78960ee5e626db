package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Outcome of a check run. FAILED means the check could not measure (see {@link ErrorCode}); a ping
 * that finds the device unreachable is OK with reachable 0. JSON: the lower-case name.
 */
public enum ResultStatus {
    OK,
    FAILED;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
