package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Event ids already processed by a consumer of this service (idempotency). */
@Entity
@Table(name = "message_log")
public class MessageLog {
    @Id
    @Column(name = "event_id")
    public UUID eventId;
    @Column(name = "received_at")
    public Instant receivedAt;
}
