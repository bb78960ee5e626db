package io.bandwatch.alert.rest.model;

import io.bandwatch.events.HealthStatus;
import java.time.Instant;
import java.util.UUID;

/** A device's health as last published on {@code devices.health}. */
public record DeviceHealthView(UUID deviceId, UUID organizationId, HealthStatus status, Instant changedAt, String reason) {
}
