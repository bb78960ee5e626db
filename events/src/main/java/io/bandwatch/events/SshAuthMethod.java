package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The way the runner logs in to a device over SSH; the secret itself never travels. JSON: the lower-case name. */
public enum SshAuthMethod {
    KEY,
    PASSWORD;

    /** The JSON value: the lower-case name. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
