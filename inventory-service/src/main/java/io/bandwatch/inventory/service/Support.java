package io.bandwatch.inventory.service;

import io.bandwatch.platform.problem.ProblemException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Small shared rules: time stamps, optimistic locking, sorting. */
public final class Support {

    private Support() {
    }

    /** Now, at the database's precision (microseconds), so snapshots equal what is stored. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** 428 without If-Match, 412 when it is not the current version. */
    public static void requireVersion(Long ifMatch, long current) {
        if (ifMatch == null) {
            throw ProblemException.preconditionRequired();
        }
        if (ifMatch != current) {
            throw ProblemException.preconditionFailed("version " + ifMatch + " is stale: the current version is " + current);
        }
    }

    /**
     * {@code name} or {@code -name} among the allowed API fields (snake_case) mapped to columns: the ORDER BY
     * list, the id last so that pages are stable.
     */
    public static String sort(String sort, Map<String, String> allowed, String fallback) {
        String value = sort == null || sort.isBlank() ? fallback : sort.trim();
        boolean desc = value.startsWith("-");
        String field = desc ? value.substring(1) : value;
        String attribute = allowed.get(field);
        if (attribute == null) {
            throw ProblemException.validation("sort", "must be one of " + allowed.keySet() + ", optionally prefixed with '-'");
        }
        return attribute + (desc ? " DESC" : " ASC") + ", id";
    }

    /** A LIKE pattern matching a JSON array (text) that contains the given JSON string element. */
    public static String jsonElementPattern(String value) {
        String json = Mappers.json(value);
        return "%" + json.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
