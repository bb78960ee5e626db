package io.bandwatch.platform.outbox;

import io.bandwatch.events.Event;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.tracing.Traces;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox's writer: appends an event (or a tombstone) to the {@code outbox} table in the
 * caller's transaction, so that a state change and its event commit together or not at all. It never talks to
 * Kafka; {@link OutboxRelay} publishes committed rows. Row ids of one key follow commit order: writers of one
 * key take turns (see {@link #KEY_LOCK_SPACE}); writers of different keys do not wait for each other. A row keeps
 * the W3C {@code traceparent} of the span current when it was appended ({@code trace_parent}, null outside a
 * trace), which the relay sends as the record's {@code traceparent} header.
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
    /* the traceparent parameter: '' for none (a null parameter has no type for Hibernate's native queries) */
    private static final String TRACE_PARENT = "NULLIF(CAST($7 AS text), '')";

    private static final String LOCKED_INSERT = "WITH key_lock AS (SELECT pg_advisory_xact_lock(" + KEY_LOCK_SPACE
            + ", hashtext(CAST($2 AS text) || '/' || CAST($3 AS text)))) "
            + "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time, trace_parent) ";
    static final String APPEND = LOCKED_INSERT + "SELECT $1, $2, $3, $4, $5, $6, " + TRACE_PARENT + " FROM key_lock";
    static final String TOMBSTONE = LOCKED_INSERT + "SELECT $1, $2, $3, $4, NULL, now(), NULLIF(CAST($5 AS text), '') FROM key_lock";

    /*
     * Many events in one statement: the CTE takes the locks of every (topic, key) of the batch, in one sorted order
     * (two batches never wait for each other in a circle), before the rows draw their ids; the rows keep the order
     * of the list.
     */
    static final String APPEND_ALL = "WITH ev AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], "
            + "$5::text[], $6::timestamptz[]) WITH ORDINALITY AS e(event_id, topic, event_key, event_type, payload, "
            + "event_time, ord)), key_lock AS (SELECT count(pg_advisory_xact_lock(" + KEY_LOCK_SPACE
            + ", hashtext(k.topic || '/' || k.event_key))) AS locked FROM (SELECT DISTINCT topic, event_key FROM ev "
            + "ORDER BY topic, event_key) k) "
            + "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time, trace_parent) "
            + "SELECT ev.event_id, ev.topic, ev.event_key, ev.event_type, ev.payload, ev.event_time, " + TRACE_PARENT + " FROM key_lock, ev "
            + "ORDER BY ev.ord";

    private Outbox() {
    }

    /** The events, in list order, as {@link #append} writes each, with one statement (a batch of a consumer). */
    public static Uni<Void> appendAll(InTransaction tx, List<? extends Event> events) {
        return appendAll(tx, events, Traces.traceparent());
    }

    /**
     * {@link #appendAll(InTransaction, List)} with the trace context given: for a caller whose statement runs where
     * its span is not current (a reactive client's callback), which captured {@link Traces#traceparent()} before.
     */
    public static Uni<Void> appendAll(InTransaction tx, List<? extends Event> events, String traceparent) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            EventType type = event.eventType();
            ids[i] = event.eventId();
            topics[i] = type.topic();
            keys[i] = event.key().toString();
            types[i] = type.ceType();
            payloads[i] = EventJson.writeString(event);
            times[i] = event.eventTime().atOffset(ZoneOffset.UTC);
        }
        return tx.update(APPEND_ALL, ids, topics, keys, types, payloads, times, orEmpty(traceparent)).replaceWithVoid();
    }

    /** The event, on its type's topic, keyed by {@link Event#key()}, with its id and time as CloudEvents headers. */
    public static Uni<Void> append(InTransaction tx, Event event) {
        EventType type = event.eventType();
        return tx.update(APPEND, event.eventId(), type.topic(), event.key().toString(), type.ceType(),
                EventJson.writeString(event), event.eventTime().atOffset(ZoneOffset.UTC), orEmpty(Traces.traceparent()))
                .replaceWithVoid();
    }

    /**
     * A tombstone (null value, no headers) for the key on the type's compacted topic: compaction then drops every
     * earlier value of the key.
     */
    public static Uni<Void> tombstone(InTransaction tx, EventType type, UUID key) {
        return tx.update(TOMBSTONE, UUID.randomUUID(), type.topic(), key.toString(), type.ceType(), orEmpty(Traces.traceparent()))
                .replaceWithVoid();
    }

    private static String orEmpty(String traceparent) {
        return traceparent == null ? "" : traceparent;
    }
}
