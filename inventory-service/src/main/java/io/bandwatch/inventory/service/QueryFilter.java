package io.bandwatch.inventory.service;

import io.bandwatch.inventory.repository.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A SQL where clause with {@code $n} parameters, built one optional filter at a time: in a clause, each {@code $?}
 * stands for the clause's one parameter.
 */
final class QueryFilter implements Rows.Where {

    private final StringBuilder query;
    private final List<Object> params = new ArrayList<>();
    private boolean excludesEverything;

    private QueryFilter(String base) {
        this.query = new StringBuilder(base);
    }

    /** Starts from the given condition. */
    static QueryFilter where(String base) {
        return new QueryFilter(base);
    }

    /**
     * Limited to the visible organizations ({@code null}: all of them; empty: none, see
     * {@link #excludesEverything()}).
     */
    static QueryFilter scopedTo(Set<UUID> visible, String orgColumn) {
        QueryFilter f = new QueryFilter("1 = 1");
        if (visible != null) {
            if (visible.isEmpty()) {
                f.excludesEverything = true;
            } else {
                f.and(orgColumn + " = ANY($?)", visible.toArray(UUID[]::new));
            }
        }
        return f;
    }

    /** Adds {@code clause} binding its {@code $?} to {@code value}; does nothing when the value is null. */
    QueryFilter and(String clause, Object value) {
        if (value != null) {
            params.add(value);
            query.append(" AND ").append(clause.replace("$?", "$" + params.size()));
        }
        return this;
    }

    /** Adds a clause without parameters. */
    QueryFilter and(String clause) {
        query.append(" AND ").append(clause);
        return this;
    }

    /** True when the caller sees no organization at all: the result is empty without asking the database. */
    boolean excludesEverything() {
        return excludesEverything;
    }

    @Override
    public String sql() {
        return query.toString();
    }

    @Override
    public List<Object> params() {
        return params;
    }
}
