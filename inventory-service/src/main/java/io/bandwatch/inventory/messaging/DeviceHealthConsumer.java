package io.bandwatch.inventory.messaging;

import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.Topics;
import io.bandwatch.inventory.domain.DeviceHealthState;
import io.bandwatch.inventory.repository.DeviceHealthRepository;
import io.bandwatch.inventory.repository.DeviceRepository;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.platform.messaging.MessageLog;
import io.bandwatch.platform.messaging.PanacheTransaction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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
            return Panache.withTransaction(() -> MessageLog.firstTime(PanacheTransaction.current(), eventId,
                    record.topic()).chain(first -> first ? apply(event) : Uni.createFrom().voidItem()));
        });
    }

    private Uni<Void> apply(DeviceHealth event) {
        return devices.findById(event.deviceId()).chain(device -> {
            if (device == null || !device.organizationId.equals(event.organizationId())) {
                return Uni.createFrom().voidItem();
            }
            return health.findById(event.deviceId()).chain(current -> {
                if (current != null && event.changedAt().isBefore(current.changedAt)) {
                    return Uni.createFrom().voidItem();
                }
                DeviceHealthState state = current == null ? new DeviceHealthState() : current;
                state.deviceId = event.deviceId();
                state.organizationId = event.organizationId();
                state.status = event.status().jsonName();
                state.changedAt = event.changedAt();
                state.reason = event.reason();
                return current == null ? health.persist(state).replaceWithVoid() : Uni.createFrom().voidItem();
            });
        });
    }
}
