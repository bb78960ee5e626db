package io.bandwatch.runner.repository;

import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;

/** What the runner's repositories share: time conversions, tuples, the blocking timeout, the message log. */
final class Sql {

    /** Longest wait of a blocking call (claim loop, run threads) for the database. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Sql() {
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }

    /** The organizations as a SQL array; null (no filter) for a caller who reads every organization. */
    static UUID[] array(Collection<UUID> ids) {
        return ids == null ? null : ids.toArray(new UUID[0]);
    }

    /** Records an event id in the same transaction; false when it was processed before ({@link MessageLog}). */
    static Uni<Boolean> firstTime(SqlConnection conn, UUID eventId, String topic) {
        return MessageLog.firstTime(InTransaction.of(conn), eventId, topic);
    }
}
