package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.Schedule;
import io.bandwatch.events.SshAuthMethod;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.runner.schedule.NextRun;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inventory's topics projected into the runner's tables; ping checks from the runner; poison records. */
@QuarkusTest
class ProjectionTest {

    @BeforeEach
    void warm() {
        warmUp();
    }

    static DeviceSnapshot device(UUID id, UUID org, String name, long version) {
        return new DeviceSnapshot(id, org, name, "198.18.0.11", 22, "bw", SshAuthMethod.KEY, null, List.of(), true, version,
                Instant.now());
    }

    @Test
    void newerVersionsWinOlderAndReplayedOnesChangeNothingTombstonesDelete() {
        UUID org = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        publish(device(id, org, "v1", 1));
        publish(device(id, org, "v3", 3));
        publish(device(id, org, "v2", 2)); // older: ignored
        publish(device(id, org, "v3", 3)); // replay: same event id
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                query("SELECT 1 FROM message_log WHERE event_id = ?",
                        EventType.derivedEventId(EventType.DEVICE_SNAPSHOT, id, 2L)).size() == 1);
        assertThat(query("SELECT name, version FROM devices WHERE id = ?", id))
                .containsExactly(Map.of("name", "v3", "version", 3L));
        assertThat(query("SELECT 1 FROM message_log WHERE event_id = ?",
                EventType.derivedEventId(EventType.DEVICE_SNAPSHOT, id, 3L))).hasSize(1);
        tombstone(Topics.INVENTORY_DEVICES, id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> query("SELECT 1 FROM devices WHERE id = ?", id).isEmpty());
    }

    @Test
    void aCheckIsScheduledByItsCronInItsTimeZoneAndRescheduledOnlyWhenTheScheduleChanges() {
        UUID org = UUID.randomUUID();
        UUID dev = UUID.randomUUID();
        publish(device(dev, org, "d", 1));
        UUID check = UUID.randomUUID();
        Schedule nightly = Schedule.ofCron("30 2 * * *", "America/New_York");
        publish(new CheckSnapshot(check, org, dev, CheckType.PING, nightly, true, 1, Instant.now(), null, PingOptions.defaults()));
        awaitProjected(check);
        Instant next = ((Timestamp) query("SELECT next_run_at FROM checks WHERE id = ?", check).get(0).get("next_run_at"))
                .toInstant();
        assertThat(next).isEqualTo(NextRun.nominal(nightly, Instant.now()));
        // a new version with the same schedule keeps the next run; a changed schedule recomputes it
        publish(new CheckSnapshot(check, org, dev, CheckType.PING, nightly, false, 2, Instant.now(), null, PingOptions.defaults()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                Boolean.FALSE.equals(query("SELECT active FROM checks WHERE id = ?", check).get(0).get("active")));
        assertThat(((Timestamp) query("SELECT next_run_at FROM checks WHERE id = ?", check).get(0).get("next_run_at"))
                .toInstant()).isEqualTo(next);
        Schedule every = Schedule.ofInterval(Duration.ofMinutes(5));
        Instant before = Instant.now();
        publish(new CheckSnapshot(check, org, dev, CheckType.PING, every, false, 3, Instant.now(), null, PingOptions.defaults()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                ((Timestamp) query("SELECT next_run_at FROM checks WHERE id = ?", check).get(0).get("next_run_at"))
                        .toInstant().isBefore(before.plusSeconds(301)));
        tombstone(Topics.INVENTORY_CHECKS, check);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> query("SELECT 1 FROM checks WHERE id = ?", check).isEmpty());
    }

    @Test
    void pingReachableAndUnreachableDevices() {
        UUID org = UUID.randomUUID();
        UUID dev = publishDevice(org, 9, null);
        UUID check = publishPingCheck(org, dev);
        CheckResult up = runNow(org, dev, check, Duration.ofSeconds(30));
        assertThat(up.status()).isEqualTo(ResultStatus.OK);
        assertThat(up.ping().reachable()).isEqualTo(1);
        assertThat(up.ping().loss()).isZero();
        assertThat(up.ping().rttAvg()).isPositive();
        testbed("link", "down", "9");
        try {
            CheckResult down = runNow(org, dev, check, Duration.ofSeconds(30));
            assertThat(down.status()).isEqualTo(ResultStatus.OK);
            assertThat(down.ping().reachable()).isZero();
            assertThat(down.ping().loss()).isEqualTo(100);
            assertThat(down.ping().rttMin()).isNull();
        } finally {
            testbed("link", "up", "9");
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String key = UUID.randomUUID().toString();
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(withGroup(p), new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> raw = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            dlq.subscribe(List.of(Topics.deadLetter(Topics.INVENTORY_DEVICES)));
            dlq.poll(Duration.ofSeconds(3));
            raw.send(new ProducerRecord<>(Topics.INVENTORY_DEVICES, key, "{\"not\": \"a device\"")).get(10, TimeUnit.SECONDS);
            UUID after = UUID.randomUUID();
            publish(device(after, UUID.randomUUID(), "after-poison", 1));
            boolean found = false;
            long end = System.currentTimeMillis() + 30000;
            while (!found && System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                    found |= key.equals(r.key());
                }
            }
            assertThat(found).as("poison record on the DLQ").isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !query("SELECT 1 FROM devices WHERE id = ?", after).isEmpty());
        }
    }

    /** A check snapshot with default iperf3 options, as JSON, its {@code client_options} edited by hand. */
    private static String iperf3Snapshot(UUID check, UUID org, UUID dev, long version, String from, String to) {
        String json = EventJson.writeString(new CheckSnapshot(check, org, dev, CheckType.IPERF3, YEARLY, true, version,
                Instant.now(), Iperf3Options.defaults(), null));
        assertThat(json).contains(from);
        return json.replace(from, to);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** The records of {@code key} the consumer sees on the dead-letter topic within the time. */
    private static List<ConsumerRecord<String, String>> deadLetters(KafkaConsumer<String, String> dlq, String key,
            Duration within) {
        List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
        long end = System.currentTimeMillis() + within.toMillis();
        while (found.isEmpty() && System.currentTimeMillis() < end) {
            for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            }
        }
        return found;
    }

    @Test
    void aSnapshotWithAFieldThisVersionDoesNotKnowIsDeadLetteredWithTheHeadersAndTheNextIsProjected() throws Exception {
        UUID org = UUID.randomUUID();
        UUID dev = UUID.randomUUID();
        publish(device(dev, org, "d", 1));
        UUID check = UUID.randomUUID();
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(withGroup(p), new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> raw = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            dlq.subscribe(List.of(Topics.deadLetter(Topics.INVENTORY_CHECKS)));
            dlq.poll(Duration.ofSeconds(3));
            // a newer inventory's snapshot: a new option inside client_options
            String newer = iperf3Snapshot(check, org, dev, 1, "\"client_options\":{",
                    "\"client_options\":{\"zerocopy\":true,");
            long offset = raw.send(new ProducerRecord<>(Topics.INVENTORY_CHECKS, check.toString(), newer))
                    .get(10, TimeUnit.SECONDS).offset();
            publish(new CheckSnapshot(check, org, dev, CheckType.IPERF3, YEARLY, true, 2, Instant.now(),
                    Iperf3Options.defaults(), null));

            List<ConsumerRecord<String, String>> dead = deadLetters(dlq, check.toString(), Duration.ofSeconds(30));
            assertThat(dead).as("the snapshot with an unknown field on the DLQ").hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(newer);
            assertThat(header(dead.get(0), DeadLetters.REASON)).contains("unknown field 'iperf3.client_options.zerocopy'");
            assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.INVENTORY_CHECKS);
            assertThat(header(dead.get(0), DeadLetters.PARTITION)).isNotBlank();
            assertThat(header(dead.get(0), DeadLetters.OFFSET)).isEqualTo(Long.toString(offset));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    Long.valueOf(2).equals(query("SELECT version FROM checks WHERE id = ?", check).stream().findFirst()
                            .map(r -> r.get("version")).orElse(null)));
        }
    }

    @Test
    void aSnapshotFromBeforeTheConnectTimeoutCapIsProjectedWithTheCapNotDeadLettered() throws Exception {
        UUID org = UUID.randomUUID();
        UUID dev = UUID.randomUUID();
        publish(device(dev, org, "d", 1));
        UUID check = UUID.randomUUID();
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(withGroup(p), new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> raw = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            dlq.subscribe(List.of(Topics.deadLetter(Topics.INVENTORY_CHECKS)));
            dlq.poll(Duration.ofSeconds(3));
            // as inventory wrote it when connect_timeout had no cap (it stays on the compacted topic)
            raw.send(new ProducerRecord<>(Topics.INVENTORY_CHECKS, check.toString(),
                    iperf3Snapshot(check, org, dev, 1, "\"connect_timeout\":1000",
                            "\"connect_timeout\":5000000"))).get(10, TimeUnit.SECONDS);
            awaitProjected(check);
            String stored = (String) query("SELECT snapshot FROM checks WHERE id = ?", check).get(0).get("snapshot");
            assertThat(EventJson.read(stored, CheckSnapshot.class).iperf3().clientOptions().connectTimeout())
                    .isEqualTo(Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT);
            assertThat(deadLetters(dlq, check.toString(), Duration.ofSeconds(5))).as("nothing on the DLQ").isEmpty();
        }
    }

    private static Properties withGroup(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("group.id", "runner-dlq-test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "latest");
        return p;
    }
}
