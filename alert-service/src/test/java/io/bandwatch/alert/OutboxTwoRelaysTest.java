package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.alert.repository.DeviceHealthRepository;
import io.bandwatch.alert.service.InventoryProjection;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.bandwatch.platform.outbox.OutboxConfig;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.testing.OutboxCheck;
import io.bandwatch.testing.TopicTail;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' relays on one database: the service's own relay and a second one with its own producer publish
 * alert's outbox while 1,000 changes of device health are committed from four writers at once: health changes
 * written as the service writes them (the stored health and its {@code devices.health} event in one transaction)
 * and device deletions through the service's own {@link InventoryProjection#deviceDeleted}, which writes the
 * tombstone. Every event reaches {@code devices.health} exactly once and, per device, in commit order, and each
 * device's last record is its last state (a tombstone where it was deleted).
 */
@QuarkusTest
class OutboxTwoRelaysTest {

    static final int DEVICES = 60;
    static final int DELETED = 20;
    static final int CHANGES = 1_000;
    static final int WRITERS = 4;
    static final HealthStatus[] STATUSES = { HealthStatus.OK, HealthStatus.PROBLEM, HealthStatus.CRITICAL };

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxConfig config;

    @Inject
    Pool pool;

    @Inject
    DeviceHealthRepository healths;

    @Inject
    InventoryProjection projection;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyChangeOnceAndInCommitOrderPerKeyWithTwoRelays() throws Exception {
        UUID org = UUID.randomUUID();
        OutboxRelay second = new OutboxRelay(pool, config, "alert-second-outbox-relay", "/bandwatch/alert-service",
                bootstrap);
        long firstSentBefore = relay.sentCount();
        long started = System.nanoTime();
        second.startRelay();
        try (TopicTail topic = TopicTail.open(bootstrap, Topics.DEVICES_HEALTH)) {
            int updates = CHANGES - DELETED;
            List<Map<String, List<String>>> expectedPerWriter = new ArrayList<>();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Map<String, List<String>> expected = new HashMap<>();
                expectedPerWriter.add(expected);
                int share = updates / WRITERS + (w < updates % WRITERS ? 1 : 0);
                Random random = new Random(7 + w);
                done.add(writers.submit(() -> {
                    write(org, expected, DEVICES / WRITERS, share, DELETED / WRITERS, random);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            writers.shutdown();
            long committed = System.nanoTime();

            Map<String, List<String>> expected = new HashMap<>();
            expectedPerWriter.forEach(expected::putAll);
            assertThat(expected.values().stream().mapToInt(List::size).sum()).as("changes committed").isEqualTo(CHANGES);
            topic.pollUntil(records -> OutboxCheck.complete(expected, records), Duration.ofSeconds(120));
            long delivered = System.nanoTime();
            List<ConsumerRecord<String, String>> records = topic.drain(Duration.ofSeconds(3));

            OutboxCheck.Report report = OutboxCheck.check(expected, records,
                    json -> EventJson.read(json, DeviceHealth.class).reason());
            long bySecond = second.sentCount();
            long byFirst = relay.sentCount() - firstSentBefore;
            System.out.printf("alert two relays: %s; sent by the service's relay %d, by the second %d (locked out "
                    + "%d passes); changes committed in %d ms, all delivered %d ms after the first change%n",
                    report.summary(), byFirst, bySecond, second.lockedOutCount(),
                    (committed - started) / 1_000_000, (delivered - started) / 1_000_000);

            report.assertExact(CHANGES);
            assertThat(byFirst).as("rows sent by the service's relay").isPositive();
            assertThat(bySecond).as("rows sent by the second relay").isPositive();
        } finally {
            second.stopRelay();
        }
    }

    /** One writer's devices: health changes in a random order over its devices, then some deletions. */
    private void write(UUID org, Map<String, List<String>> expected, int devices, int updates, int deletes,
            Random random) {
        List<UUID> ids = new ArrayList<>();
        Map<UUID, Integer> steps = new HashMap<>();
        for (int i = 0; i < devices; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            steps.put(id, 0);
            expected.put(id.toString(), new ArrayList<>());
        }
        Instant base = Instant.now();
        for (int u = 0; u < updates; u++) {
            // every device gets its first health before any device gets a second one
            UUID id = u < devices ? ids.get(u) : ids.get(random.nextInt(devices));
            int step = steps.merge(id, 1, Integer::sum) - 1;
            HealthStatus status = STATUSES[step % STATUSES.length];
            DeviceHealth event = new DeviceHealth(id, org, status, base.plusSeconds(step), "step-" + step);
            pool.withTransaction(conn -> healths.save(conn, event)
                    .chain(() -> Outbox.append(InTransaction.of(conn), event)))
                    .await().atMost(Duration.ofSeconds(30));
            expected.get(id.toString()).add(event.reason());
        }
        List<UUID> doomed = new ArrayList<>(ids);
        Collections.shuffle(doomed, random);
        for (UUID id : doomed.subList(0, deletes)) {
            projection.deviceDeleted(id).await().atMost(Duration.ofSeconds(30));
            expected.get(id.toString()).add(OutboxCheck.TOMBSTONE);
        }
    }
}
