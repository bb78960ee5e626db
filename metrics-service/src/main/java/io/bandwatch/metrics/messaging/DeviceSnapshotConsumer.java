package io.bandwatch.metrics.messaging;

import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.bandwatch.metrics.service.DeviceDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the compacted {@code inventory.devices} from the beginning at every start (a consumer group of its own
 * per instance) into {@link DeviceDirectory}: device names and organizations for the charts API.
 */
@ApplicationScoped
public class DeviceSnapshotConsumer {

    private static final Logger LOG = Logger.getLogger(DeviceSnapshotConsumer.class);

    private final DeviceDirectory directory;

    DeviceSnapshotConsumer(DeviceDirectory directory) {
        this.directory = directory;
    }

    @Incoming(Topics.INVENTORY_DEVICES)
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                directory.remove(UUID.fromString(record.key()));
            } else {
                directory.apply(EventJson.read(record.value(), DeviceSnapshot.class));
            }
        } catch (RuntimeException e) {
            // In-memory view only; a poison snapshot is skipped (inventory's own contract tests keep them out).
            LOG.warnf("skipped unreadable device snapshot %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
        return Uni.createFrom().voidItem();
    }
}
