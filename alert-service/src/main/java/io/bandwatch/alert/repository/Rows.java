package io.bandwatch.alert.repository;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import java.util.Locale;

/** Conversions between rows and Java values. */
public final class Rows {

    private Rows() {
    }

    public static AlertOperator operator(String symbol) {
        for (AlertOperator op : AlertOperator.values()) {
            if (op.symbol().equals(symbol)) {
                return op;
            }
        }
        throw new IllegalArgumentException("not an operator: " + symbol);
    }

    public static CheckType checkType(String name) {
        return CheckType.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
