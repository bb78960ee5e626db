package io.bandwatch.inventory.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.ProblemTranslator;
import io.bandwatch.inventory.repository.StaleRowException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Database failures that are the caller's problem, for the platform's problem mappers: a duplicate name is a
 * 409, a row changed meanwhile a 412.
 */
@ApplicationScoped
public class DatabaseProblems implements ProblemTranslator {

    @Override
    public ProblemException translate(Throwable error) {
        if (isUniqueViolation(error)) {
            return ProblemException.conflict(null, "an object with the same name already exists");
        }
        if (isStale(error)) {
            return ProblemException.preconditionFailed("changed by someone else meanwhile");
        }
        return null;
    }

    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    public static boolean isStale(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StaleRowException) {
                return true;
            }
        }
        return false;
    }
}
