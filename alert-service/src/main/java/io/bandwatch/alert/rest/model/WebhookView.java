package io.bandwatch.alert.rest.model;

import java.time.Instant;
import java.util.UUID;

/** A webhook, without its secret. */
public record WebhookView(UUID id, UUID organizationId, String url, boolean active, Instant createdAt) {
}
