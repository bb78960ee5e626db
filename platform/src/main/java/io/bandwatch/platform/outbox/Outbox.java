package io.bandwatch.platform.outbox;

import io.bandwatch.events.Event;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import io.bandwatch.platform.messaging.InTransaction;
import io.smallrye.mutiny.Uni;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The transactional outbox's writer: appends an event (or a tombstone) to the {@code outbox} table in the
 * caller's transaction, so that a state change and its event commit together or not at all. It never talks to
 * Kafka; {@link OutboxRelay} publishes committed rows. Row ids of one key follow commit order: writers of one
 * key take turns (see {@link #KEY_LOCK_SPACE}); writers of different keys do not wait for each other.
 */
public final class Outbox {

    /**
     * Advisory-lock namespace of the outbox writers (two-int keys, which do not overlap the relay's 64-bit
     * {@link OutboxRelay#LOCK_KEY}): (this, hash of topic and key).
     */
    public static final int KEY_LOCK_SPACE = 1651471732;

    /*
     * The CTE takes the transaction lock of (topic, key) before the row draws its id from the sequence (the CTE
     * scan runs first; a CTE with a volatile function is never inlined), so a second transaction writing the same
     * key waits until the first has committed or rolled back and then gets a larger id: per key, id order is
     * commit order, which is the order the relay sends in. An id drawn by a transaction that commits later than
     * one with a larger id would otherwise send an older state after a newer one.
     */
    private static final String LOCKED_INSERT = "WITH key_lock AS (SELECT pg_advisory_xact_lock(" + KEY_LOCK_SPACE
            + ", hashtext(CAST($2 AS text) || '/' || CAST($3 AS text)))) "
            + "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time) ";
    static final String APPEND = LOCKED_INSERT + "SELECT $1, $2, $3, $4, $5, $6 FROM key_lock";
    static final String TOMBSTONE = LOCKED_INSERT + "SELECT $1, $2, $3, $4, NULL, now() FROM key_lock";

    private Outbox() {
    }

    /** The event, on its type's topic, keyed by {@link Event#key()}, with its id and time as CloudEvents headers. */
    public static Uni<Void> append(InTransaction tx, Event event) {
        EventType type = event.eventType();
        return tx.update(APPEND, event.eventId(), type.topic(), event.key().toString(), type.ceType(),
                EventJson.writeString(event), event.eventTime().atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    /**
     * A tombstone (null value, no headers) for the key on the type's compacted topic: compaction then drops every
     * earlier value of the key.
     */
    public static Uni<Void> tombstone(InTransaction tx, EventType type, UUID key) {
        return tx.update(TOMBSTONE, UUID.randomUUID(), type.topic(), key.toString(), type.ceType()).replaceWithVoid();
    }
}
