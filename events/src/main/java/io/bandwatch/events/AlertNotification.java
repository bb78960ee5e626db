package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An alert setting turned to problem, or recovered, on {@link Topics#ALERT_NOTIFICATIONS} (key
 * device id). One notification per transition; replays never make a second (same event id).
 *
 * @param eventId        unique per transition
 * @param organizationId organization of the device
 * @param deviceId       the device
 * @param checkId        the check whose field is watched
 * @param alertSettingId the alert setting
 * @param type           problem or recovery
 * @param field          metric field, one of {@link Metrics#fieldNames}
 * @param operator       {@code <} or {@code >}
 * @param threshold      the setting's threshold
 * @param tolerance      how long the field must cross the threshold before a problem
 * @param value          the field's value at the point that caused the transition
 * @param time           event time of that point (the result's finished_at)
 * @param message        human-readable summary
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertNotification(
        @JsonProperty(required = true) UUID eventId,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) UUID deviceId,
        @JsonProperty(required = true) UUID checkId,
        @JsonProperty(required = true) UUID alertSettingId,
        @JsonProperty(required = true) NotificationType type,
        @JsonProperty(required = true) String field,
        @JsonProperty(required = true) AlertOperator operator,
        @JsonProperty(required = true) double threshold,
        @JsonProperty(required = true) Duration tolerance,
        @JsonProperty(required = true) double value,
        @JsonProperty(required = true) Instant time,
        @JsonProperty(required = true) String message) implements Event {

    public AlertNotification {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(organizationId, "organization_id");
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(checkId, "check_id");
        Objects.requireNonNull(alertSettingId, "alert_setting_id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
        if (Metrics.typeOfField(field).isEmpty()) {
            throw new InvalidFieldException("field", "not a metric field: '" + field + "'");
        }
        Objects.requireNonNull(operator, "operator");
        Validation.finite(threshold, "threshold");
        Validation.nonNegative(tolerance, "tolerance");
        Validation.finite(value, "value");
        Objects.requireNonNull(time, "time");
        Validation.notBlank(message, "message");
    }

    @Override
    public EventType eventType() {
        return EventType.ALERT_NOTIFICATION;
    }

    /** The event time of the point that caused the transition. */
    @Override
    public Instant eventTime() {
        return time;
    }
}
