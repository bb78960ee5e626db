package io.bandwatch.inventory.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A Panache where clause with named parameters, built one optional filter at a time. */
final class QueryFilter {

    private final StringBuilder query;
    private final Map<String, Object> params = new HashMap<>();
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
                f.and(orgColumn + " in :orgs", "orgs", visible);
            }
        }
        return f;
    }

    /** Adds {@code clause} binding {@code param} to {@code value}; does nothing when the value is null. */
    QueryFilter and(String clause, String param, Object value) {
        if (value != null) {
            query.append(" and ").append(clause);
            params.put(param, value);
        }
        return this;
    }

    /** Adds a clause without parameters. */
    QueryFilter and(String clause) {
        query.append(" and ").append(clause);
        return this;
    }

    /** Binds a parameter used by a clause added with {@link #and(String)}. */
    QueryFilter param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /** True when the caller sees no organization at all: the result is empty without asking the database. */
    boolean excludesEverything() {
        return excludesEverything;
    }

    String query() {
        return query.toString();
    }

    Map<String, Object> params() {
        return params;
    }
}
