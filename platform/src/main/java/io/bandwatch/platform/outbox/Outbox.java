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
 * Kafka; {@link OutboxRelay} publishes committed rows. Row ids of one key follow commit order (the table's
 * {@code outbox_order_per_key} trigger, see {@code db/outbox/R__outbox_order_per_key.sql}).
 */
public final class Outbox {

    static final String APPEND = "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time) "
            + "VALUES ($1, $2, $3, $4, $5, $6)";
    static final String TOMBSTONE = "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time) "
            + "VALUES ($1, $2, $3, $4, NULL, now())";

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
