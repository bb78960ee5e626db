package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;

/**
 * The consumed position of a partition of a batch-consumed topic ({@code check.results}), stored in the transaction
 * of the batch's effects: a batch commits exactly once, and a position only moves from the value its consumer read.
 */
@ApplicationScoped
public class ConsumerOffsetRepository {

    /** No position stored yet (a new consumer group): Kafka's own position applies. */
    public static final long NONE = -1;

    public Uni<OptionalLong> stored(SqlClient conn, String group, String topic, int partition) {
        return conn.preparedQuery("SELECT next_offset FROM consumer_offset WHERE group_id = $1 AND topic = $2 "
                + "AND partition = $3").execute(tuple(group, topic, partition))
                .map(rs -> rs.size() == 0 ? OptionalLong.empty() : OptionalLong.of(rs.iterator().next().getLong(0)));
    }

    /**
     * Moves the position from {@code expected} ({@link #NONE}: no row yet) to {@code next}; false when another
     * consumer moved it first (this one lost the partition), and the caller must roll back.
     */
    public Uni<Boolean> advance(SqlClient conn, String group, String topic, int partition, long expected, long next) {
        return conn.preparedQuery("INSERT INTO consumer_offset AS o (group_id, topic, partition, next_offset) "
                + "VALUES ($1, $2, $3, $5) ON CONFLICT (group_id, topic, partition) DO UPDATE "
                + "SET next_offset = EXCLUDED.next_offset, updated_at = now() WHERE o.next_offset = $4 RETURNING 1")
                .execute(tuple(group, topic, partition, expected, next))
                .map(rs -> rs.rowCount() == 1);
    }

    /** Forgets the positions of a group on a topic (benches that evaluate the same records again). */
    public Uni<Void> forget(SqlClient conn, String group, String topic) {
        return conn.preparedQuery("DELETE FROM consumer_offset WHERE group_id = $1 AND topic = $2")
                .execute(tuple(group, topic)).replaceWithVoid();
    }
}
