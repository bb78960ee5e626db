package io.bandwatch.inventory.messaging;

import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.Topics;
import io.bandwatch.inventory.domain.DeviceHealthState;
import io.bandwatch.inventory.repository.DeviceHealthRepository;
import io.bandwatch.inventory.repository.DeviceRepository;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the latest health of each device from {@code devices.health} (alert-service). Idempotent by event id
 * ({@link MessageLog} in the same transaction); an older change never overwrites a newer one; health of unknown
 * devices is ignored. Unreadable records go to {@code devices.health.dlq} ({@link DeadLetters}).
 */
@ApplicationScoped
public class DeviceHealthConsumer {

    @Inject
    Pool pool;
    @Inject
    DeviceHealthRepository health;
    @Inject
    DeviceRepository devices;

    @Incoming(Topics.DEVICES_HEALTH)
    public Uni<Void> consume(ConsumerRecord<String, DeviceHealth> record) {
        return DeadLetters.readableOr(record, () -> {
            DeviceHealth event = record.value();
            if (event == null) {
                return Uni.createFrom().voidItem(); // tombstone: the device is gone, its row went with it
            }
            UUID eventId = CloudEventHeaders.id(record.headers()).map(UUID::fromString).orElse(event.eventId());
            return pool.withTransaction(conn -> MessageLog.firstTime(InTransaction.of(conn), eventId,
                    record.topic()).chain(first -> first ? apply(conn, event) : Uni.createFrom().voidItem()));
        });
    }

    private Uni<Void> apply(SqlClient conn, DeviceHealth event) {
        return devices.find(conn, event.deviceId()).chain(device -> {
            if (device == null || !device.organizationId.equals(event.organizationId())) {
                return Uni.createFrom().voidItem();
            }
            return health.find(conn, event.deviceId()).chain(current -> {
                if (current != null && event.changedAt().isBefore(current.changedAt)) {
                    return Uni.createFrom().voidItem();
                }
                DeviceHealthState state = current == null ? new DeviceHealthState() : current;
                state.deviceId = event.deviceId();
                state.organizationId = event.organizationId();
                state.status = event.status().jsonName();
                state.changedAt = event.changedAt();
                state.reason = event.reason();
                return health.save(conn, state);
            });
        });
    }
}
