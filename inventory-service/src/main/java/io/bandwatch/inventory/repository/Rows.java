package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Conversions between rows and Java values, and the statements every repository runs the same way. */
public final class Rows {

    private Rows() {
    }

    static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        for (Row r : rows) {
            list.add(mapper.apply(r));
        }
        return list;
    }

    /** The first row mapped, or null. */
    static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var it = rows.iterator();
        return it.hasNext() ? mapper.apply(it.next()) : null;
    }

    static <T> Uni<List<T>> query(SqlClient conn, String sql, Tuple params, Function<Row, T> mapper) {
        return conn.preparedQuery(sql).execute(params).map(rows -> list(rows, mapper));
    }

    static <T> Uni<T> one(SqlClient conn, String sql, Tuple params, Function<Row, T> mapper) {
        return conn.preparedQuery(sql).execute(params).map(rows -> first(rows, mapper));
    }

    /**
     * The lock of rows read in order to change or delete them, for the rest of the transaction: {@code FOR NO KEY
     * UPDATE}, as Hibernate's PostgreSQL dialect took for {@code PESSIMISTIC_WRITE}. The row cannot change or go
     * meanwhile; rows referring to it can still be written.
     */
    static final String LOCKED = " FOR NO KEY UPDATE";

    /** The {@code table} row with this {@code id}, or null. */
    static <T> Uni<T> byId(SqlClient conn, String table, UUID id, Function<Row, T> mapper) {
        return one(conn, "SELECT * FROM " + table + " WHERE id = $1", tuple(id), mapper);
    }

    /** {@link #byId}, {@link #LOCKED}. */
    static <T> Uni<T> byIdLocked(SqlClient conn, String table, UUID id, Function<Row, T> mapper) {
        return one(conn, "SELECT * FROM " + table + " WHERE id = $1" + LOCKED, tuple(id), mapper);
    }

    static Uni<Long> count(SqlClient conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).map(rows -> rows.iterator().next().getLong(0));
    }

    static Uni<Integer> update(SqlClient conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).map(RowSet::rowCount);
    }

    /**
     * An update guarded by the version read ({@code ... WHERE id = ... AND version = ...}): no row changed means
     * someone else changed (or deleted) it meanwhile.
     */
    static Uni<Void> versioned(SqlClient conn, String sql, Tuple params) {
        return update(conn, sql, params).map(n -> {
            if (n == 0) {
                throw new StaleRowException();
            }
            return null;
        });
    }

    /** {@code table} rows matching the filter, one page in the given order. */
    static <T> Uni<List<T>> page(SqlClient conn, String table, Where where, String orderBy, int page, int size,
            Function<Row, T> mapper) {
        List<Object> params = new ArrayList<>(where.params());
        params.add((long) size);
        params.add((long) page * size);
        int n = params.size();
        return query(conn, "SELECT * FROM " + table + " WHERE " + where.sql() + " ORDER BY " + orderBy + " LIMIT $"
                + (n - 1) + " OFFSET $" + n, Tuple.from(params), mapper);
    }

    /** The number of {@code table} rows matching the filter. */
    static Uni<Long> count(SqlClient conn, String table, Where where) {
        return count(conn, "SELECT count(*) FROM " + table + " WHERE " + where.sql(), Tuple.from(where.params()));
    }

    /** A WHERE condition with its {@code $1, $2, ...} parameters. */
    public interface Where {
        String sql();

        List<Object> params();
    }
}
