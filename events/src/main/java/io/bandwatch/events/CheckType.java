package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of check. JSON: the lower-case name. */
public enum CheckType {
    IPERF3,
    PING;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
