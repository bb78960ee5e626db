package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The comparison of an alert setting. JSON: {@code "<"} or {@code ">"}. */
public enum AlertOperator {
    LESS_THAN("<"),
    GREATER_THAN(">");

    private final String symbol;

    AlertOperator(String symbol) {
        this.symbol = symbol;
    }

    /** The JSON value. */
    @JsonValue
    public String symbol() {
        return symbol;
    }

    /** True when the value crosses the threshold, i.e. the point counts towards a problem. */
    public boolean crossed(double value, double threshold) {
        return this == LESS_THAN ? value < threshold : value > threshold;
    }
}
