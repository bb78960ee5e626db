package io.bandwatch.alert.repository;

import io.bandwatch.alert.evaluation.SettingState;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** An alert setting row with its evaluation state. Never leaves the service: see rest/model. */
public record Setting(UUID id, UUID organizationId, UUID deviceId, UUID checkId, CheckType checkType, String field,
        AlertOperator operator, double threshold, Duration tolerance, boolean active, SettingState state,
        Instant createdAt, Instant updatedAt) {

    public Setting withState(SettingState newState) {
        return new Setting(id, organizationId, deviceId, checkId, checkType, field, operator, threshold, tolerance,
                active, newState, createdAt, updatedAt);
    }

    /** e.g. {@code sent_bps_tcp < 1.0E7}. */
    public String label() {
        return field + " " + operator.symbol() + " " + threshold;
    }
}
