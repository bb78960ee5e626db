package io.bandwatch.runner.messaging;

import io.bandwatch.events.CheckRequest;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.Iperf3ServerSnapshot;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.platform.tracing.Traces;
import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.DeviceRepository;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.runner.schedule.NextRun;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Projects inventory's compacted topics into the runner's tables (upsert by id, newer version wins, delete on
 * tombstone; idempotent by event id through {@code message_log}) and turns {@code check.requests} into
 * pending on-demand runs, which any replica then claims. A null value is a tombstone; unreadable records (and keys
 * that are not UUIDs) go to the topic's dead-letter topic ({@link DeadLetters}).
 */
@ApplicationScoped
public class InventoryConsumer {

    private static final Logger LOG = Logger.getLogger(InventoryConsumer.class);

    private final DeviceRepository devices;
    private final ServerRepository servers;
    private final CheckRepository checks;

    @Inject
    public InventoryConsumer(DeviceRepository devices, ServerRepository servers, CheckRepository checks) {
        this.devices = devices;
        this.servers = servers;
        this.checks = checks;
    }

    private static UUID key(ConsumerRecord<String, ?> record) {
        return UUID.fromString(record.key());
    }

    @Incoming(Topics.INVENTORY_DEVICES)
    public Uni<Void> device(ConsumerRecord<String, DeviceSnapshot> record) {
        return DeadLetters.readableOr(record, () -> deviceRecord(record));
    }

    private Uni<Void> deviceRecord(ConsumerRecord<String, DeviceSnapshot> record) {
        if (record.value() == null) {
            return devices.delete(key(record));
        }
        return devices.upsert(record.value().eventId(), record.topic(), record.value());
    }

    @Incoming(Topics.INVENTORY_IPERF3_SERVERS)
    public Uni<Void> server(ConsumerRecord<String, Iperf3ServerSnapshot> record) {
        return DeadLetters.readableOr(record, () -> serverRecord(record));
    }

    private Uni<Void> serverRecord(ConsumerRecord<String, Iperf3ServerSnapshot> record) {
        if (record.value() == null) {
            return servers.delete(key(record));
        }
        return servers.upsert(record.value().eventId(), record.topic(), record.value());
    }

    @Incoming(Topics.INVENTORY_CHECKS)
    public Uni<Void> check(ConsumerRecord<String, CheckSnapshot> record) {
        return DeadLetters.readableOr(record, () -> checkRecord(record));
    }

    private Uni<Void> checkRecord(ConsumerRecord<String, CheckSnapshot> record) {
        if (record.value() == null) {
            return checks.delete(key(record));
        }
        try {
            NextRun.validate(record.value().schedule());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        return checks.upsert(record.value().eventId(), record.topic(), record.value());
    }

    @Incoming(Topics.CHECK_REQUESTS)
    public Uni<Void> request(ConsumerRecord<String, CheckRequest> record) {
        return DeadLetters.readableOr(record, () -> requestRecord(record));
    }

    private Uni<Void> requestRecord(ConsumerRecord<String, CheckRequest> record) {
        CheckRequest request = record.value();
        if (request == null) {
            return Uni.createFrom().voidItem();
        }
        UUID eventId = CloudEventHeaders.id(record.headers()).map(UUID::fromString).orElse(request.eventId());
        return checks.requestRun(eventId, record.topic(), request.checkId(), request.requestedBy(),
                Traces.traceparent(record.headers()))
                .invoke(accepted -> {
                    if (!accepted) {
                        LOG.infof("run request %s for check %s ignored: unknown, inactive or already seen",
                                request.eventId(), request.checkId());
                    }
                })
                .replaceWithVoid();
    }
}
