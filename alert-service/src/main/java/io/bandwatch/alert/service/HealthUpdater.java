package io.bandwatch.alert.service;

import io.bandwatch.alert.evaluation.HealthRules;
import io.bandwatch.alert.repository.DeviceHealthRepository;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Recomputes a device's health from its settings inside the caller's transaction and, when it changed, stores
 * it and writes a {@code devices.health} outbox row. A device without a stored health counts as unknown. (The
 * evaluator does the same in memory for a batch: {@code DeviceState}.)
 */
@ApplicationScoped
public class HealthUpdater {

    @Inject
    SettingRepository settings;

    @Inject
    DeviceHealthRepository healths;

    /** The new health when it changed, else null. */
    public Uni<DeviceHealth> recompute(SqlConnection conn, UUID deviceId, UUID org, Instant changedAt) {
        return settings.ofDevice(conn, deviceId).chain(all -> {
            HealthRules.Health health = HealthRules.health(views(all));
            return healths.find(conn, deviceId).chain(stored -> {
                HealthStatus before = stored.map(DeviceHealthRepository.StoredHealth::status).orElse(HealthStatus.UNKNOWN);
                if (before == health.status()) {
                    return Uni.createFrom().nullItem();
                }
                DeviceHealth event = new DeviceHealth(deviceId, org, health.status(), changedAt, health.reason());
                return healths.save(conn, event)
                        .chain(() -> Outbox.append(InTransaction.of(conn), event))
                        .replaceWith(event);
            });
        });
    }

    static List<HealthRules.SettingView> views(List<Setting> settings) {
        return settings.stream().map(HealthRules::view).toList();
    }
}
