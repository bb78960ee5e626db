package io.bandwatch.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A Bandwatch event: one record type per {@link EventType}. None of these methods is part of the JSON.
 */
public sealed interface Event
        permits DeviceSnapshot, Iperf3ServerSnapshot, CheckSnapshot, CheckRequest, CheckResult, AlertNotification,
        DeviceHealth, TokenRevocation {

    EventType eventType();

    /**
     * The id consumers deduplicate by ({@code ce_id}). Events with an {@code event_id} field return it;
     * snapshots and device health derive it deterministically from their content, so re-publishing the
     * same state gives the same id (see {@link EventType#derivedEventId}).
     */
    UUID eventId();

    /** When the occurrence happened ({@code ce_time}). */
    Instant eventTime();

    /** The Kafka record key, see {@link EventType#keyOf}. */
    default UUID key() {
        return eventType().keyOf(this);
    }
}
