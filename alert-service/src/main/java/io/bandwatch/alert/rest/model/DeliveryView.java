package io.bandwatch.alert.rest.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One notification's delivery to one webhook, with every attempt (the delivery log). */
public record DeliveryView(UUID id, UUID webhookId, UUID notificationId, String status, int attempts,
        Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt, Instant createdAt,
        List<Attempt> attemptLog) {

    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMs) {
    }
}
