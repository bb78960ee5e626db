package io.bandwatch.alert.service;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.repository.AlertStore;
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

    public Uni<Void> device(DeviceSnapshot d) {
        return pool.withTransaction(conn -> MessageLog.firstTime(InTransaction.of(conn), d.eventId(), Topics.INVENTORY_DEVICES)
                .chain(first -> first ? AlertStore.upsertDevice(conn, d.id(), d.organizationId(), d.name(), d.version())
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
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE monitored_check SET deleted = true, "
                + "settings_revision = settings_revision + 1 WHERE device_id = $1").execute(tuple(id))
                .chain(() -> AlertStore.deleteDevice(conn, id))
                .chain(() -> conn.preparedQuery("DELETE FROM alert_setting WHERE device_id = $1").execute(tuple(id)))
                .chain(() -> conn.preparedQuery("DELETE FROM device_health WHERE device_id = $1").execute(tuple(id)))
                .chain(rs -> rs.rowCount() > 0
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
                        : AlertStore.upsertCheck(conn, c.id(), c.organizationId(), c.deviceId(), c.type(), c.version())
                                .chain(inserted -> inserted
                                        ? AlertStore.createDefaultSettings(conn, new AlertStore.CheckRef(c.id(),
                                                c.organizationId(), c.deviceId(), c.type(), false))
                                        : Uni.createFrom().voidItem())))
                .ifNoItem().after(config.dbTimeout()).fail();
    }

    public Uni<Void> checkDeleted(UUID id) {
        return pool.withTransaction(conn -> AlertStore.deleteCheck(conn, id).chain(found -> found.isEmpty()
                ? Uni.createFrom().voidItem()
                : HealthUpdater.recompute(conn, found.get().deviceId(), found.get().organizationId(), Instant.now())
                        .replaceWithVoid()))
                .ifNoItem().after(config.dbTimeout()).fail()
                .invoke(relay::wakeUp);
    }
}
