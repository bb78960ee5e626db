package io.bandwatch.alert.rest.model;

import io.bandwatch.alert.repository.NotificationRepository;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.NotificationType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A stored notification (its id is the event id on {@code alert.notifications}) and whether it was read. */
public record NotificationView(UUID id, UUID organizationId, UUID deviceId, UUID checkId, UUID alertSettingId,
        NotificationType type, String field, AlertOperator operator, double threshold, Duration tolerance, double value,
        Instant time, String message, boolean read, Instant createdAt) {

    public static NotificationView of(NotificationRepository.NotificationRow row) {
        AlertNotification n = row.notification();
        return new NotificationView(n.eventId(), n.organizationId(), n.deviceId(), n.checkId(), n.alertSettingId(),
                n.type(), n.field(), n.operator(), n.threshold(), n.tolerance(), n.value(), n.time(), n.message(),
                row.read(), row.createdAt());
    }
}
