package io.bandwatch.runner.repository;

import java.time.Instant;
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What a list of runs asks for: optional device, check, status and error code filters, and a keyset page (runs
 * strictly after the cursor in the order newest first, ties broken by event id), so paging stays exact while new
 * runs arrive.
 */
public record RunsQuery(UUID deviceId, UUID checkId, String status, String errorCode, Cursor after, int limit) {

    /**
     * The last run of the page before: its start time and event id, written {@code <epoch microseconds>_<uuid>} (the
     * precision of the database, and nothing a URL has to encode).
     */
    public record Cursor(Instant startedAt, UUID eventId) {

        /** The cursor written by {@link #toString()}; IllegalArgumentException for anything else. */
        public static Cursor parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            int sep = value.lastIndexOf('_');
            try {
                if (sep < 0) {
                    throw new IllegalArgumentException("no '_'");
                }
                long micros = Long.parseLong(value.substring(0, sep));
                return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(value.substring(sep + 1)));
            } catch (ArithmeticException | DateTimeException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "not a cursor of this API: take it from the Link rel=\"next\" header of the page before");
            }
        }

        @Override
        public String toString() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, startedAt) + "_" + eventId;
        }
    }
}
