package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An alert setting turning to problem, or back to ok. JSON: the lower-case name. */
public enum NotificationType {
    PROBLEM,
    RECOVERY;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
