package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An on-demand run ("run now") of a check, on {@link Topics#CHECK_REQUESTS} (key device id). The
 * runner runs the check as it is in its latest snapshot and answers with a {@link CheckResult}.
 *
 * @param eventId        unique per request; the runner runs a request id at most once
 * @param checkId        check to run
 * @param deviceId       its device
 * @param organizationId its organization
 * @param requestedBy    user name of the requester
 * @param requestedAt    time of the request
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckRequest(
        @JsonProperty(required = true) UUID eventId,
        @JsonProperty(required = true) UUID checkId,
        @JsonProperty(required = true) UUID deviceId,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) String requestedBy,
        @JsonProperty(required = true) Instant requestedAt) implements Event {

    public CheckRequest {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(checkId, "check_id");
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(organizationId, "organization_id");
        Validation.notBlank(requestedBy, "requested_by");
        Objects.requireNonNull(requestedAt, "requested_at");
    }

    @Override
    public EventType eventType() {
        return EventType.CHECK_REQUEST;
    }

    @Override
    public Instant eventTime() {
        return requestedAt;
    }
}
