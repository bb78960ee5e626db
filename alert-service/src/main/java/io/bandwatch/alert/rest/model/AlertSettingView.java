package io.bandwatch.alert.rest.model;

import io.bandwatch.alert.evaluation.AlertStatus;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An alert setting with its current state, as the API shows it. */
public record AlertSettingView(UUID id, UUID organizationId, UUID deviceId, UUID checkId, CheckType checkType,
        String field, AlertOperator operator, double threshold, Duration tolerance, boolean active, AlertStatus status,
        @Schema(nullable = true, description = "when the values started to cross the threshold; null when they do not")
        Instant firstCrossingAt,
        @Schema(nullable = true, description = "time of the last evaluated point; null before the first") Instant lastPointAt,
        @Schema(nullable = true, description = "the last evaluated value; null before the first") Double lastValue,
        Instant createdAt, Instant updatedAt) {

    public static AlertSettingView of(Setting s) {
        return new AlertSettingView(s.id(), s.organizationId(), s.deviceId(), s.checkId(), s.checkType(), s.field(),
                s.operator(), s.threshold(), s.tolerance(), s.active(), s.state().status(), s.state().firstCrossingAt(),
                s.state().lastPointAt(), s.state().lastValue(), s.createdAt(), s.updatedAt());
    }
}
