package io.bandwatch.alert.repository;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/** Conversions between rows and Java values. */
public final class Rows {

    private Rows() {
    }

    public static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
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
