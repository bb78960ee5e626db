package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay delivers every change, in order per key, across a broker outage and a relay restart.
 * The shared broker is not stopped: the outage is the relay's producer pointed at an address where no broker
 * listens (127.0.0.1:1) while changes keep being written, then pointed back at the live broker.
 */
@QuarkusTest
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    long unsent(List<String> keys) {
        return pool.preparedQuery("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND event_key = ANY($1)")
                .execute(Tuple.of(keys.toArray(new String[0]))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    static List<Long> versions(List<ConsumerRecord<String, String>> records) {
        List<Long> versions = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            versions.add(r.value() == null ? -1 : EventJson.read(r.value(), DeviceSnapshot.class).version());
        }
        return versions;
    }

    @Test
    void everyChangeArrivesInOrderAcrossABrokerOutageAndARelayRestart() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        Map<String, Object> body = Api.device(org, "relay-" + UUID.randomUUID());
        body.put("create_default_checks", false);
        try (KafkaProbe devices = KafkaProbe.open("inventory.devices");
                KafkaProbe checks = KafkaProbe.open("inventory.checks")) {
            String id = as(owner).body(body).post("/api/v1/devices").then().statusCode(201).extract().path("id");
            body.remove("private_key");
            // changes 1-3 with the broker up
            for (int v = 1; v <= 3; v++) {
                body.put("ssh_port", 2200 + v);
                as(owner).header("If-Match", String.valueOf(v - 1)).body(body).put("/api/v1/devices/" + id)
                        .then().statusCode(200);
            }
            devices.awaitKey(id, 4, Duration.ofSeconds(20));

            // outage: changes 4-10 are committed while no broker answers
            long failuresBefore = relay.failureCount();
            relay.overrideBootstrapServers("127.0.0.1:1");
            UUID other = Api.createDevice(org, false);
            UUID check = Api.createCheck(org, other, "ping", Map.of());
            for (int v = 4; v <= 10; v++) {
                body.put("ssh_port", 2200 + v);
                as(owner).header("If-Match", String.valueOf(v - 1)).body(body).put("/api/v1/devices/" + id)
                        .then().statusCode(200);
            }
            as(Api.token(org, "operator")).delete("/api/v1/checks/" + check).then().statusCode(204);
            Awaitility.await().atMost(Duration.ofSeconds(40))
                    .until(() -> relay.failureCount() > failuresBefore);
            List<String> keys = List.of(id, other.toString(), check.toString());
            assertThat(unsent(keys)).as("rows waiting in the outbox during the outage").isEqualTo(7 + 1 + 2);
            assertThat(devices.drain(Duration.ofSeconds(1)).stream().filter(r -> id.equals(r.key()))).hasSize(4);

            // the relay restarts during the outage, then the broker comes back
            relay.stopRelay();
            relay.overrideBootstrapServers(null);
            long back = System.nanoTime();
            relay.startRelay();

            List<ConsumerRecord<String, String>> all = devices.awaitKey(id, 11, Duration.ofSeconds(60));
            System.out.printf("outbox relay: backlog delivered %d ms after the broker came back%n",
                    (System.nanoTime() - back) / 1_000_000);
            assertThat(versions(all)).as("every version of the device, in order, once")
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(EventJson.read(all.get(10).value(), DeviceSnapshot.class).sshPort()).isEqualTo(2210);
            assertThat(new String(all.get(10).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("io.bandwatch.device.snapshot.v1");
            assertThat(devices.awaitKey(other.toString(), 1, Duration.ofSeconds(20))).hasSize(1);
            // the check: its snapshot, then its tombstone (null value), in that order
            List<ConsumerRecord<String, String>> checkEvents = checks.awaitKey(check.toString(), 2, Duration.ofSeconds(20));
            assertThat(EventJson.read(checkEvents.get(0).value(), CheckSnapshot.class).id()).isEqualTo(check);
            assertThat(checkEvents.get(1).value()).isNull();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unsent(keys) == 0);
        } finally {
            relay.overrideBootstrapServers(null);
            relay.startRelay();
        }
    }

    @Test
    void deletingADeviceSendsTombstonesForItAndItsChecks() {
        UUID org = Api.organization();
        try (KafkaProbe devices = KafkaProbe.open("inventory.devices");
                KafkaProbe checks = KafkaProbe.open("inventory.checks")) {
            UUID device = Api.createDevice(org, true);
            List<String> checkIds = as(Api.token(org, "viewer")).queryParam("device_id", device.toString())
                    .get("/api/v1/checks").jsonPath().getList("items.id", String.class);
            assertThat(checkIds).hasSize(2);
            as(Api.token(org, "owner")).delete("/api/v1/devices/" + device).then().statusCode(204);
            List<ConsumerRecord<String, String>> deviceEvents = devices.awaitKey(device.toString(), 2,
                    Duration.ofSeconds(20));
            assertThat(deviceEvents.get(1).value()).isNull();
            for (String checkId : checkIds) {
                List<ConsumerRecord<String, String>> events = checks.awaitKey(checkId, 2, Duration.ofSeconds(20));
                assertThat(EventJson.read(events.get(0).value(), CheckSnapshot.class).deviceId()).isEqualTo(device);
                assertThat(events.get(1).value()).isNull();
            }
        }
    }
}
