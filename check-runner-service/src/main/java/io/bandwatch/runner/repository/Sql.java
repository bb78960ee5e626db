package io.bandwatch.runner.repository;

import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/** What the runner's repositories share: time conversions, tuples, the blocking timeout, the message log. */
final class Sql {

    /** Longest wait of a blocking call (claim loop, run threads) for the database. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Sql() {
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
