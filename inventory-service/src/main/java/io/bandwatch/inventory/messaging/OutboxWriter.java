package io.bandwatch.inventory.messaging;

import io.bandwatch.events.Event;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import io.bandwatch.inventory.domain.OutboxEvent;
import io.bandwatch.inventory.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Appends events to the outbox table in the caller's transaction (never publishes directly): the change and
 * its event commit together or not at all. {@link OutboxRelay} publishes them.
 */
@ApplicationScoped
public class OutboxWriter {

    @Inject
    OutboxRepository outbox;

    public Uni<Void> append(Event event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = event.eventId();
        row.topic = event.eventType().topic();
        row.eventKey = event.key().toString();
        row.eventType = event.eventType().ceType();
        row.payload = EventJson.writeString(event);
        return outbox.persist(row).replaceWithVoid();
    }

    /** A tombstone (null value) for a deleted object of a compacted topic. */
    public Uni<Void> tombstone(EventType type, UUID key) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.randomUUID();
        row.topic = type.topic();
        row.eventKey = key.toString();
        row.eventType = type.ceType();
        row.payload = null;
        return outbox.persist(row).replaceWithVoid();
    }
}
