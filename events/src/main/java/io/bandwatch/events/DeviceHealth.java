package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The health of a device, on {@link Topics#DEVICES_HEALTH} (compacted, key device id), published by
 * alert-service on every change.
 *
 * @param deviceId       the device
 * @param organizationId its organization
 * @param status         ok, problem, critical or unknown
 * @param changedAt      when it changed (event time)
 * @param reason         human-readable cause, e.g. the alert settings in problem
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceHealth(
        @JsonProperty(required = true) UUID deviceId,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) HealthStatus status,
        @JsonProperty(required = true) Instant changedAt,
        String reason) implements Event {

    public DeviceHealth {
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(organizationId, "organization_id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changed_at");
        Validation.notBlankOrNull(reason, "reason");
    }

    @Override
    public EventType eventType() {
        return EventType.DEVICE_HEALTH;
    }

    /** Derived from (device_id, status, changed_at): the same change published twice has the same id. */
    @Override
    public UUID eventId() {
        return EventType.derivedEventId(EventType.DEVICE_HEALTH, deviceId, status.jsonName(), changedAt);
    }

    @Override
    public Instant eventTime() {
        return changedAt;
    }
}
