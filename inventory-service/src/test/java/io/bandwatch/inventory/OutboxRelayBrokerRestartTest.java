package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay delivers every change in order with a real broker stopped and restarted in the middle.
 * Unlike {@link OutboxRelayTest} (relay pointed at a dead address; the shared broker is never stopped), this
 * test starts a private single-node KRaft broker as a child process on 127.0.0.1:19092 (controller 19093),
 * points the relay at it, really stops that process while changes are committed and starts it again on the
 * same log dir and ports.
 */
@QuarkusTest
class OutboxRelayBrokerRestartTest {

    static final int PORT = 19092;
    static final int CONTROLLER_PORT = 19093;
    static final String TOPIC = "inventory.devices";

    static PrivateKafkaBroker broker;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @AfterAll
    static void killBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Outbox rows of the key: [unsent, sent]. */
    long[] rows(String key) {
        Row row = pool.preparedQuery("SELECT count(*) FILTER (WHERE sent_at IS NULL) AS unsent, "
                + "count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent FROM outbox WHERE event_key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        return new long[] { row.getLong("unsent"), row.getLong("sent") };
    }

    void put(String owner, String id, Map<String, Object> body, int version) {
        body.put("ssh_port", 2200 + version);
        as(owner).header("If-Match", String.valueOf(version - 1)).body(body).put("/api/v1/devices/" + id)
                .then().statusCode(200);
    }

    @Test
    void everyChangeArrivesInOrderWithTheBrokerStoppedAndRestarted() {
        long started = System.nanoTime();
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        Map<String, Object> body = Api.device(org, "relay-restart-" + UUID.randomUUID());
        body.put("create_default_checks", false);
        broker = PrivateKafkaBroker.start(PORT, CONTROLLER_PORT);
        try {
            broker.awaitReady(Duration.ofSeconds(60));
            broker.createTopics(TOPIC, "inventory.checks");
            relay.overrideBootstrapServers(broker.bootstrap());
            try (KafkaProbe devices = KafkaProbe.open(broker.bootstrap(), TOPIC)) {
                // version 0 and changes 1-3 with the private broker up
                String id = as(owner).body(body).post("/api/v1/devices").then().statusCode(201).extract().path("id");
                body.remove("private_key");
                for (int v = 1; v <= 3; v++) {
                    put(owner, id, body, v);
                }
                assertThat(OutboxRelayTest.versions(devices.awaitKey(id, 4, Duration.ofSeconds(30))))
                        .as("versions on the private broker before the outage").containsExactly(0L, 1L, 2L, 3L);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rows(id)[0] == 0);

                // the broker process is really stopped; changes 4-10 are committed meanwhile
                broker.stop();
                assertThat(broker.running()).isFalse();
                long failuresBefore = relay.failureCount();
                for (int v = 4; v <= 10; v++) {
                    put(owner, id, body, v);
                }
                Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> relay.failureCount() > failuresBefore);
                assertThat(relay.lastPassFailed()).as("the relay reports the failed pass").isTrue();
                long[] during = rows(id);
                assertThat(during[0]).as("rows waiting in the outbox while the broker is down").isEqualTo(7);
                assertThat(during[1]).as("rows sent before the outage").isEqualTo(4);

                // the same broker (log dir, ports) comes back
                long down = System.nanoTime();
                broker.restart();
                broker.awaitReady(Duration.ofSeconds(60));
                List<ConsumerRecord<String, String>> arrived = devices.awaitKey(id, 11, Duration.ofSeconds(90));
                System.out.printf("outbox relay: backlog delivered %d ms after the private broker was restarted%n",
                        (System.nanoTime() - down) / 1_000_000);
                List<ConsumerRecord<String, String>> all = devices.drain(Duration.ofSeconds(2)).stream()
                        .filter(r -> id.equals(r.key())).toList();
                assertThat(OutboxRelayTest.versions(all)).as("every version of the device, in order, once")
                        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
                assertThat(arrived).hasSize(11);
                assertThat(all.stream().map(ConsumerRecord::partition).distinct()).as("one partition per key")
                        .hasSize(1);
                assertThat(EventJson.read(all.get(10).value(), DeviceSnapshot.class).sshPort()).isEqualTo(2210);
                assertThat(new String(all.get(10).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                        .isEqualTo("io.bandwatch.device.snapshot.v1");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rows(id)[0] == 0);
                assertThat(rows(id)).as("all outbox rows of the device marked sent").containsExactly(0L, 11L);
            }
        } finally {
            relay.overrideBootstrapServers(null);
            relay.startRelay();
            killBroker();
            System.out.printf("outbox relay broker restart test: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
    }
}
