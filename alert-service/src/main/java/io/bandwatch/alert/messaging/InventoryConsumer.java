package io.bandwatch.alert.messaging;

import io.bandwatch.alert.service.InventoryProjection;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.DeadLetters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Inventory's compacted topics, replayed from the start by a new group: devices (names) and checks (defaults). */
@ApplicationScoped
public class InventoryConsumer {

    @Inject
    InventoryProjection projection;

    @Incoming(Topics.INVENTORY_DEVICES)
    public Uni<Void> device(ConsumerRecord<String, DeviceSnapshot> record) {
        return DeadLetters.readableOr(record, () -> record.value() == null
                ? projection.deviceDeleted(UUID.fromString(record.key()))
                : projection.device(record.value()));
    }

    @Incoming(Topics.INVENTORY_CHECKS)
    public Uni<Void> check(ConsumerRecord<String, CheckSnapshot> record) {
        return DeadLetters.readableOr(record, () -> record.value() == null
                ? projection.checkDeleted(UUID.fromString(record.key()))
                : projection.check(record.value()));
    }
}
