package io.bandwatch.alert.service;

import io.bandwatch.alert.evaluation.HealthRules;
import io.bandwatch.alert.repository.AlertStore;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Recomputes a device's health from its settings inside the caller's transaction and, when it changed, stores
 * it and writes a {@code devices.health} outbox row. A device without a stored health counts as unknown.
 */
public final class HealthUpdater {

    private HealthUpdater() {
    }

    /** The new health when it changed, else null. */
    public static Uni<DeviceHealth> recompute(SqlConnection conn, UUID deviceId, UUID org, Instant changedAt) {
        return AlertStore.settingsOfDevice(conn, deviceId).chain(settings -> {
            HealthRules.Health health = HealthRules.health(views(settings));
            return AlertStore.health(conn, deviceId).chain(stored -> {
                HealthStatus before = stored.map(AlertStore.StoredHealth::status).orElse(HealthStatus.UNKNOWN);
                if (before == health.status()) {
                    return Uni.createFrom().nullItem();
                }
                DeviceHealth event = new DeviceHealth(deviceId, org, health.status(), changedAt, health.reason());
                return AlertStore.saveHealth(conn, deviceId, org, health.status(), changedAt, health.reason())
                        .chain(() -> Outbox.append(InTransaction.of(conn), event))
                        .replaceWith(event);
            });
        });
    }

    static List<HealthRules.SettingView> views(List<Setting> settings) {
        return settings.stream().map(s -> new HealthRules.SettingView(s.checkType(), s.field(), s.active(),
                s.state().status(), s.state().lastPointAt() != null, s.label())).toList();
    }
}
