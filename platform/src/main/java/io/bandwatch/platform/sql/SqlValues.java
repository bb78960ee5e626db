package io.bandwatch.platform.sql;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Java values to and from the reactive PostgreSQL client, as every service's repositories pass them: instants as
 * {@code timestamptz} in UTC, nulls allowed everywhere.
 */
public final class SqlValues {

    private SqlValues() {
    }

    /** An instant as a {@code timestamptz} parameter (UTC); null stays null. */
    public static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A {@code timestamptz} column as an instant; null stays null. */
    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** Statement parameters {@code $1, $2, ...}; unlike {@code Tuple.of}, any of them may be null. */
    public static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }
}
