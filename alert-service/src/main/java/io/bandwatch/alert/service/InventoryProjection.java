package io.bandwatch.alert.service;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.repository.CheckRepository;
import io.bandwatch.alert.repository.DeviceHealthRepository;
import io.bandwatch.alert.repository.DeviceRepository;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventType;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.bandwatch.platform.outbox.Outbox;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * Devices and checks from inventory: device names for messages; a new check gets its default settings, a
 * deleted check loses its settings (and its device's health is recomputed). Idempotent on replay: snapshots
 * by event id and version, default settings by (check, field).
 */
@ApplicationScoped
public class InventoryProjection {

    @Inject
    Pool pool;

    @Inject
    AlertConfig config;

    @Inject
    OutboxRelay relay;

    @Inject
    DeviceRepository devices;

    @Inject
    CheckRepository checks;

    @Inject
    SettingRepository settings;

    @Inject
    DeviceHealthRepository healths;

    @Inject
    SettingsService settingsService;

    @Inject
    HealthUpdater health;

    public Uni<Void> device(DeviceSnapshot d) {
        return pool.withTransaction(conn -> MessageLog.firstTime(InTransaction.of(conn), d.eventId(), Topics.INVENTORY_DEVICES)
                .chain(first -> first ? devices.upsert(conn, d.id(), d.organizationId(), d.name(), d.version())
                        : Uni.createFrom().voidItem()))
                .ifNoItem().after(config.dbTimeout()).fail();
    }

    /**
     * A device deleted in inventory: its settings, checks and health go, and when a health had been published a
     * {@code devices.health} tombstone is written to the outbox in the same transaction (compaction then drops the
     * device's health from the topic). A replay of the tombstone finds no health row and publishes nothing again.
     */
    public Uni<Void> deviceDeleted(UUID id) {
        // the checks' rows first (their locks and revisions tell the evaluator), then the settings
        return pool.withTransaction(conn -> checks.markDeletedOfDevice(conn, id)
                .chain(() -> devices.delete(conn, id))
                .chain(() -> settings.deleteOfDevice(conn, id))
                .chain(() -> healths.delete(conn, id))
                .chain(had -> had
                        ? Outbox.tombstone(InTransaction.of(conn), EventType.DEVICE_HEALTH, id).replaceWith(true)
                        : Uni.createFrom().item(false)))
                .ifNoItem().after(config.dbTimeout()).fail()
                .invoke(published -> {
                    if (published) {
                        relay.wakeUp();
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> check(CheckSnapshot c) {
        return pool.withTransaction(conn -> MessageLog.firstTime(InTransaction.of(conn), c.eventId(), Topics.INVENTORY_CHECKS)
                .chain(first -> !first ? Uni.createFrom().voidItem()
                        : checks.upsert(conn, c.id(), c.organizationId(), c.deviceId(), c.type(), c.version())
                                .chain(inserted -> inserted
                                        ? settingsService.createDefaults(conn, new CheckRepository.CheckRef(c.id(),
                                                c.organizationId(), c.deviceId(), c.type(), false))
                                        : Uni.createFrom().voidItem())))
                .ifNoItem().after(config.dbTimeout()).fail();
    }

    /** A check deleted in inventory: marked deleted (its row first, for the evaluator), its settings go. */
    public Uni<Void> checkDeleted(UUID id) {
        return pool.withTransaction(conn -> checks.find(conn, id).chain(found -> found.isEmpty()
                ? Uni.createFrom().voidItem()
                : checks.markDeleted(conn, id)
                        .chain(() -> settings.deleteOfCheck(conn, id))
                        .chain(() -> health.recompute(conn, found.get().deviceId(), found.get().organizationId(),
                                Instant.now()))
                        .replaceWithVoid()))
                .ifNoItem().after(config.dbTimeout()).fail()
                .invoke(relay::wakeUp);
    }
}
