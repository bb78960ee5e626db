package io.bandwatch.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/**
 * The caller's open transaction: the reactive client's connection ({@link #of(SqlClient)}) in every service.
 * The message log and the outbox write through it, so that their rows commit or roll back with the caller's
 * change.
 */
@FunctionalInterface
public interface InTransaction {

    /**
     * Runs one data-changing statement with {@code $1, $2, ...} parameters (none of them null) and gives the
     * number of rows it changed.
     */
    Uni<Integer> update(String sql, Object... params);

    /** The connection of a transaction of the reactive client ({@code pool.withTransaction(conn -> ...)}). */
    static InTransaction of(SqlClient conn) {
        return (sql, params) -> conn.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params)))
                .map(rows -> rows.rowCount());
    }
}
