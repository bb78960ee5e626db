package io.bandwatch.runner.lease;

import java.time.Instant;

/**
 * A held lease on one server.
 *
 * @param server       the server
 * @param fencingToken increases with every lease of that server
 * @param value        the exact value stored in Redis (compare-and-delete compares it)
 * @param since        when it was taken
 * @param waited       how long the run waited in the queue
 */
public record Lease(ServerRef server, long fencingToken, String value, Instant since, java.time.Duration waited) {
}
