package io.bandwatch.alert.evaluation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** State of one alert setting. JSON and database: the lower-case name. */
public enum AlertStatus {
    OK,
    PROBLEM;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertStatus of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
