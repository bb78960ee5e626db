package io.bandwatch.inventory.repository;

/** A versioned update found the row changed (or deleted) since it was read: a 412 (rest/DatabaseProblems). */
public class StaleRowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StaleRowException() {
        super("the row changed since it was read", null, false, false);
    }
}
