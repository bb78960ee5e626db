package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.events.NotificationType;
import io.bandwatch.events.Topics;
import io.bandwatch.testing.JwtKeysResource;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path through real Kafka and PostgreSQL: inventory snapshots create default settings, results on
 * {@code check.results} are evaluated on event time, notifications are stored, listed and published on
 * {@code alert.notifications}, and device health goes to {@code devices.health}.
 */
@QuarkusTest
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)
class AlertFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    /** The management interface, where readiness is. */
    @io.quarkus.test.common.http.TestHTTPResource(management = true)
    java.net.URL management;

    @BeforeEach
    void serviceIsConsuming() {
        TestKafka.awaitServiceAssigned();
    }

    static Instant night(int day) {
        return Instant.parse(String.format("2026-01-%02dT02:00:00Z", day));
    }

    static String viewer(Fixture f) {
        return TestJwt.user("viewer-" + f.name(), Map.of(f.org(), "viewer"));
    }

    static JsonPath settings(Fixture f) {
        return given().auth().oauth2(viewer(f)).queryParam("check_id", f.check()).get("/api/v1/alert-settings")
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath notifications(Fixture f, String query) {
        var spec = given().auth().oauth2(viewer(f)).queryParam("device_id", f.device());
        if (query != null) {
            String[] kv = query.split("=");
            spec = spec.queryParam(kv[0], kv[1]);
        }
        return spec.get("/api/v1/notifications").then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the setting of that field has evaluated the point at {@code time}. */
    static void awaitEvaluated(Fixture f, String field, Instant time) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(settings(f).getList(
                "findAll { it.field == '" + field + "' }.last_point_at", String.class)).containsExactly(time.toString()));
    }

    /**
     * Waits until the device's snapshot is projected (its name goes into the messages): the test's new group replays
     * {@code inventory.devices} from its start, which right after boot can lag behind {@code inventory.checks}.
     */
    void awaitDeviceKnown(Fixture f) {
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM device WHERE id = $1", f.device()) == 1);
    }

    long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(params))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    @Test
    void nightlyResultsAlertAfterTwoDaysOfEventTimeNotBeforeAndRecoverOnTheFirstGoodResult() {
        Fixture f = Fixture.iperf3();
        TestKafka.send(f.deviceSnapshot());
        TestKafka.send(f.checkSnapshot());
        await().atMost(WAIT).untilAsserted(() -> assertThat(settings(f).getList("field", String.class))
                .containsExactlyInAnyOrder("sent_bps_tcp", "iperf3_result"));
        awaitDeviceKnown(f);
        JsonPath defaults = settings(f);
        assertThat(defaults.getString("find { it.field == 'sent_bps_tcp' }.operator")).isEqualTo("<");
        assertThat(defaults.getDouble("find { it.field == 'sent_bps_tcp' }.threshold")).isEqualTo(10e6);
        assertThat(defaults.getString("find { it.field == 'sent_bps_tcp' }.tolerance")).isEqualTo("PT48H");
        assertThat(defaults.getString("find { it.field == 'iperf3_result' }.tolerance")).isEqualTo("PT24H");

        try (var out = new TestKafka.Reader(Topics.ALERT_NOTIFICATIONS, f.device(), false);
                var health = new TestKafka.Reader(Topics.DEVICES_HEALTH, f.device(), false)) {
            TestKafka.send(f.iperf3(night(1), 4.3e6));
            TestKafka.send(f.iperf3(night(2), 4.3e6));
            awaitEvaluated(f, "sent_bps_tcp", night(2));
            assertThat(notifications(f, null).getList("id")).as("1 day of crossing: no alert yet").isEmpty();

            TestKafka.send(f.iperf3(night(3), 4.3e6));
            await().atMost(WAIT).untilAsserted(() -> assertThat(notifications(f, null).getList("type"))
                    .containsExactly("problem"));
            JsonPath problem = notifications(f, null);
            assertThat(problem.getString("[0].message"))
                    .isEqualTo("TCP bandwidth of " + f.name() + " has been below 10 Mbps for more than 2 days: 4.3 Mbps");
            assertThat(problem.getString("[0].time")).isEqualTo(night(3).toString());
            assertThat(problem.getString("[0].field")).isEqualTo("sent_bps_tcp");
            assertThat(problem.getDouble("[0].value")).isEqualTo(4.3e6);
            assertThat(problem.getString("[0].check_id")).isEqualTo(f.check().toString());

            TestKafka.send(f.iperf3(night(4), 3e6));
            TestKafka.send(f.iperf3(night(5), 25e6));
            await().atMost(WAIT).untilAsserted(() -> assertThat(notifications(f, null).getList("type"))
                    .containsExactly("recovery", "problem"));
            assertThat(notifications(f, null).getString("[0].message"))
                    .isEqualTo("TCP bandwidth of " + f.name() + " is no longer below 10 Mbps: 25 Mbps");

            List<ConsumerRecord<String, byte[]>> published = out.await(r -> r.size() >= 2, WAIT);
            List<AlertNotification> events = TestKafka.values(published, AlertNotification.class);
            assertThat(events).extracting(AlertNotification::type)
                    .containsExactly(NotificationType.PROBLEM, NotificationType.RECOVERY);
            assertThat(events).extracting(AlertNotification::time).containsExactly(night(3), night(5));
            assertThat(TestKafka.header(published.get(0), CloudEventHeaders.ID))
                    .isEqualTo(events.get(0).eventId().toString());
            assertThat(TestKafka.header(published.get(0), CloudEventHeaders.TYPE))
                    .isEqualTo("io.bandwatch.alert.notification.v1");

            List<DeviceHealth> healths = TestKafka.values(health.await(r -> r.size() >= 3, WAIT), DeviceHealth.class);
            assertThat(healths).extracting(DeviceHealth::status)
                    .containsExactly(HealthStatus.OK, HealthStatus.PROBLEM, HealthStatus.OK);
            assertThat(healths).extracting(DeviceHealth::changedAt).containsExactly(night(1), night(3), night(5));
        }
        JsonPath health = given().auth().oauth2(viewer(f)).get("/api/v1/device-health/" + f.device()).then()
                .statusCode(200).extract().jsonPath();
        assertThat(health.getString("status")).isEqualTo("ok");
        assertThat(health.getString("changed_at")).isEqualTo(night(5).toString());
        given().auth().oauth2(TestJwt.user("x", Map.of(UUID.randomUUID(), "owner")))
                .get("/api/v1/device-health/" + f.device()).then().statusCode(404);
    }

    @Test
    void duplicatesLateResultsAndAReplayFromTheStartOfTheTopicRaiseEachNotificationOnce() {
        Fixture f = Fixture.iperf3(); // no snapshots: the first result registers the check and its defaults
        List<CheckResult> nights = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            nights.add(f.iperf3(night(day), day < 5 ? 1e6 : 50e6));
        }
        CheckResult lateGood = f.iperf3(night(2).plusSeconds(60), 90e6); // arrives after night 3: ignored
        try (var out = new TestKafka.Reader(Topics.ALERT_NOTIFICATIONS, f.device(), false)) {
            TestKafka.send(nights.get(0));
            TestKafka.send(nights.get(0));
            TestKafka.send(nights.get(1));
            TestKafka.send(nights.get(0));
            TestKafka.send(nights.get(2));
            TestKafka.send(lateGood);
            TestKafka.send(nights.get(1));
            TestKafka.send(nights.get(2));
            TestKafka.send(nights.get(3));
            TestKafka.send(nights.get(4));
            TestKafka.send(nights.get(3));
            TestKafka.send(nights.get(4));
            awaitEvaluated(f, "sent_bps_tcp", night(5));
            await().atMost(WAIT).untilAsserted(() -> assertThat(notifications(f, null).getList("type"))
                    .containsExactly("recovery", "problem"));
            assertThat(notifications(f, null).getList("time")).containsExactly(night(5).toString(), night(3).toString());
            assertThat(out.await(r -> r.size() >= 2, WAIT)).hasSize(2);

            long outboxBefore = count("SELECT count(*) FROM outbox WHERE event_key = $1", f.device().toString());
            // Replay: every record of this device from the start of check.results, delivered again as is.
            List<ConsumerRecord<String, byte[]>> all;
            try (var topic = new TestKafka.Reader(Topics.CHECK_RESULTS, f.device(), true)) {
                all = topic.readToEnd();
            }
            assertThat(all).hasSize(12);
            for (ConsumerRecord<String, byte[]> r : all) {
                TestKafka.sendRaw(new ProducerRecord<>(Topics.CHECK_RESULTS, null, r.key(), r.value(), r.headers()));
            }
            CheckResult marker = f.iperf3(night(6), 60e6);
            TestKafka.send(marker);
            awaitEvaluated(f, "sent_bps_tcp", night(6));
            assertThat(notifications(f, null).getList("type")).containsExactly("recovery", "problem");
            assertThat(count("SELECT count(*) FROM outbox WHERE event_key = $1", f.device().toString())).isEqualTo(outboxBefore);
            assertThat(out.await(r -> false, Duration.ofSeconds(2))).hasSize(2);
        }
    }

    @Test
    void failedIperf3RunsCountOnlyForIperf3ResultAndFailedPingsAreNotEvaluated() {
        Fixture f = Fixture.iperf3();
        TestKafka.send(f.iperf3Failed(night(1)));
        TestKafka.send(f.iperf3Failed(night(2)));
        awaitEvaluated(f, "iperf3_result", night(2));
        JsonPath s = settings(f);
        assertThat(s.getString("find { it.field == 'sent_bps_tcp' }.last_point_at")).isNull();
        assertThat(notifications(f, null).getList("message", String.class))
                .containsExactly("iperf3 has been failing on " + f.device() + " for more than 1 day");
    }

    @Test
    void pingUnreachableForThirtyMinutesIsCriticalThenOkAgain() {
        Fixture f = Fixture.ping();
        TestKafka.send(f.deviceSnapshot());
        TestKafka.send(f.checkSnapshot());
        await().atMost(WAIT).untilAsserted(() -> assertThat(settings(f).getList("field", String.class))
                .containsExactly("reachable"));
        awaitDeviceKnown(f);
        Instant t0 = Instant.parse("2026-02-01T10:00:00Z");
        try (var health = new TestKafka.Reader(Topics.DEVICES_HEALTH, f.device(), false)) {
            TestKafka.send(f.ping(t0, true));
            TestKafka.send(f.ping(t0.plus(Duration.ofMinutes(5)), false));
            TestKafka.send(f.ping(t0.plus(Duration.ofMinutes(20)), false));
            awaitEvaluated(f, "reachable", t0.plus(Duration.ofMinutes(20)));
            assertThat(notifications(f, null).getList("id")).isEmpty();
            TestKafka.send(f.ping(t0.plus(Duration.ofMinutes(35)), false));
            TestKafka.send(f.ping(t0.plus(Duration.ofMinutes(40)), true));
            List<DeviceHealth> healths = TestKafka.values(health.await(r -> r.size() >= 3, WAIT), DeviceHealth.class);
            assertThat(healths).extracting(DeviceHealth::status)
                    .containsExactly(HealthStatus.OK, HealthStatus.CRITICAL, HealthStatus.OK);
            assertThat(healths.get(1).changedAt()).isEqualTo(t0.plus(Duration.ofMinutes(35)));
            assertThat(healths.get(1).reason()).contains("reachable");
        }
        assertThat(notifications(f, "type=problem").getList("message", String.class))
                .containsExactly(f.name() + " has been unreachable for more than 30 minutes");
    }

    @Test
    void anUnreadableResultGoesToTheDeadLetterTopicAndTheNextOneIsEvaluated() {
        Fixture f = Fixture.ping();
        String dlqTopic = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("bandwatch.kafka.results-dlq", String.class);
        byte[] poison = "\"{not a check result}\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var dlq = new TestKafka.Reader(dlqTopic, f.device(), false)) {
            TestKafka.sendRaw(new ProducerRecord<>(Topics.CHECK_RESULTS, f.device().toString(), poison));
            TestKafka.send(f.ping(night(1), true));
            awaitEvaluated(f, "reachable", night(1));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> !r.isEmpty(), WAIT);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(poison);
            assertThat(TestKafka.header(dead.get(0), "dead-letter-topic")).isEqualTo(Topics.CHECK_RESULTS);
        }
    }

    /**
     * A readable result whose evaluation always fails (here: the database refuses every change of its device's
     * settings, as a trigger of the test says) makes readiness DOWN while its batch is retried, then goes to the
     * dead-letter topic with the platform's headers after a bounded number of attempts, and the partition goes on:
     * a later result of another device of the same partition is evaluated and readiness is UP again.
     */
    @Test
    void aResultWhoseEvaluationAlwaysFailsGoesToTheDeadLetterTopicAndItsPartitionGoesOn() {
        int partitions = resultsPartitions();
        Fixture poisoned = Fixture.ping();
        Fixture next = Fixture.ping();
        while (partitionOf(next, partitions) != partitionOf(poisoned, partitions)) {
            next = Fixture.ping();
        }
        String dlqTopic = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("bandwatch.kafka.results-dlq", String.class);
        String name = "poison_" + poisoned.device().toString().replace("-", "");
        pool.query("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'this device''s settings cannot change'; END $$").execute()
                .await().atMost(Duration.ofSeconds(10));
        pool.query("CREATE TRIGGER " + name + " BEFORE UPDATE ON alert_setting FOR EACH ROW WHEN (NEW.device_id = '"
                + poisoned.device() + "') EXECUTE FUNCTION " + name + "()").execute().await().atMost(Duration.ofSeconds(10));
        try (var dlq = new TestKafka.Reader(dlqTopic, poisoned.device(), false)) {
            TestKafka.send(poisoned.ping(night(1), true));
            TestKafka.send(next.ping(night(1), true));
            // retried meanwhile: not ready
            await().atMost(WAIT).until(() -> io.bandwatch.testing.ManagementPort.given(management).get("/q/health/ready").statusCode() == 503);
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> !r.isEmpty(), Duration.ofSeconds(90));
            assertThat(dead).hasSize(1);
            ConsumerRecord<String, byte[]> record = dead.get(0);
            assertThat(record.key()).isEqualTo(poisoned.device().toString());
            assertThat(TestKafka.header(record, "dead-letter-topic")).isEqualTo(Topics.CHECK_RESULTS);
            assertThat(TestKafka.header(record, "dead-letter-partition")).isEqualTo(Integer.toString(partitionOf(poisoned, partitions)));
            assertThat(TestKafka.header(record, "dead-letter-offset")).matches("[0-9]+");
            assertThat(TestKafka.header(record, "dead-letter-reason")).startsWith("evaluation failed")
                    .contains("this device's settings cannot change");
            assertThat(TestKafka.header(record, "ce_id")).isNotBlank(); // its own headers kept

            awaitEvaluated(next, "reachable", night(1));
            await().atMost(WAIT).until(() -> io.bandwatch.testing.ManagementPort.given(management).get("/q/health/ready").statusCode() == 200);
            assertThat(count("SELECT count(*) FROM alert_setting WHERE device_id = $1 AND last_point_at IS NOT NULL",
                    poisoned.device())).isZero();
        } finally {
            pool.query("DROP TRIGGER IF EXISTS " + name + " ON alert_setting").execute().await().atMost(Duration.ofSeconds(10));
            pool.query("DROP FUNCTION IF EXISTS " + name + "()").execute().await().atMost(Duration.ofSeconds(10));
        }
    }

    static int resultsPartitions() {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", TestKafka.BOOTSTRAP))) {
            return admin.describeTopics(List.of(Topics.CHECK_RESULTS)).allTopicNames()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).get(Topics.CHECK_RESULTS).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The partition of a device's results on check.results (Kafka's default partitioner on the key). */
    static int partitionOf(Fixture f, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                f.device().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** The event's JSON with a field this version does not know, as a newer producer would write it. */
    static byte[] withUnknownField(io.bandwatch.events.Event event, String field) {
        String json = io.bandwatch.events.EventJson.writeString(event).replaceFirst("\\{", "{\"" + field + "\":1,");
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void assertDeadLetterHeaders(ConsumerRecord<String, byte[]> dead, String topic, String field) {
        assertThat(TestKafka.header(dead, "dead-letter-reason")).contains("unknown field '" + field + "'");
        assertThat(TestKafka.header(dead, "dead-letter-topic")).isEqualTo(topic);
        assertThat(TestKafka.header(dead, "dead-letter-partition")).isNotBlank();
        assertThat(TestKafka.header(dead, "dead-letter-offset")).isNotBlank();
    }

    @Test
    void aResultWithAnUnknownFieldGoesToTheDeadLetterTopicWithTheHeadersAndTheNextOneIsEvaluated() {
        // check.results: the raw consumer of batches (platform DeadLetters.read / DeadLetterSender)
        Fixture f = Fixture.ping();
        String dlqTopic = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("bandwatch.kafka.results-dlq", String.class);
        byte[] newer = withUnknownField(f.ping(night(1), false), "added_in_v2");
        try (var dlq = new TestKafka.Reader(dlqTopic, f.device(), false)) {
            TestKafka.sendRaw(new ProducerRecord<>(Topics.CHECK_RESULTS, f.device().toString(), newer));
            TestKafka.send(f.ping(night(1), true));
            awaitEvaluated(f, "reachable", night(1));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> !r.isEmpty(), WAIT);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(newer);
            assertDeadLetterHeaders(dead.get(0), Topics.CHECK_RESULTS, "added_in_v2");
        }
    }

    @Test
    void aCheckSnapshotWithAnUnknownFieldGoesToTheDeadLetterTopicWithTheHeadersAndTheNextOneIsApplied() {
        // inventory.checks: a SmallRye channel (platform DeadLetters.readableOr, dead-letter-queue strategy)
        Fixture f = Fixture.ping();
        byte[] newer = withUnknownField(f.checkSnapshot(), "added_in_v2");
        try (var dlq = new TestKafka.Reader(Topics.deadLetter(Topics.INVENTORY_CHECKS), f.check(), false)) {
            TestKafka.sendRaw(new ProducerRecord<>(Topics.INVENTORY_CHECKS, f.check().toString(), newer));
            TestKafka.send(f.checkSnapshot());
            await().atMost(WAIT).until(() -> settings(f).getList("id").size() == 1);
            // the runner, when one runs on this broker, dead-letters it into the same topic: ours is among them
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> !r.isEmpty(), WAIT);
            assertThat(dead).isNotEmpty().allSatisfy(d -> {
                assertThat(d.value()).isEqualTo(newer);
                assertDeadLetterHeaders(d, Topics.INVENTORY_CHECKS, "added_in_v2");
            });
        }
    }

    @Test
    void aCheckTombstoneRemovesItsSettings() {
        Fixture f = Fixture.ping();
        TestKafka.send(f.checkSnapshot());
        await().atMost(WAIT).until(() -> settings(f).getList("id").size() == 1);
        TestKafka.tombstone(Topics.INVENTORY_CHECKS, f.check());
        await().atMost(WAIT).until(() -> settings(f).getList("id").isEmpty());
        // a late result of the deleted check does not bring them back
        TestKafka.send(f.ping(night(1), false));
        TestKafka.send(Fixture.ping().ping(night(1), true)); // processed after it (same partition or not)
        assertThat(count("SELECT count(*) FROM monitored_check WHERE id = $1 AND deleted", f.check())).isEqualTo(1);
    }

    @Test
    void aDeviceTombstoneDropsItsStateAndTombstonesItsHealth() {
        Fixture f = Fixture.ping();
        Fixture other = Fixture.ping();
        for (Fixture x : List.of(f, other)) {
            TestKafka.send(x.deviceSnapshot());
            TestKafka.send(x.checkSnapshot());
            await().atMost(WAIT).until(() -> settings(x).getList("id").size() == 1);
        }
        String viewer = viewer(f);
        try (var health = new TestKafka.Reader(Topics.DEVICES_HEALTH, f.device(), false)) {
            TestKafka.send(f.ping(night(1), true));
            TestKafka.send(other.ping(night(1), true));
            assertThat(health.await(r -> r.size() >= 1, WAIT)).hasSize(1).allMatch(r -> r.value() != null);
            awaitEvaluated(other, "reachable", night(1));
            given().auth().oauth2(viewer).get("/api/v1/device-health/" + f.device()).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("ok"));

            TestKafka.tombstone(Topics.INVENTORY_DEVICES, f.device());
            List<ConsumerRecord<String, byte[]>> records = health.await(r -> r.size() >= 2, WAIT);
            assertThat(records).hasSize(2);
            assertThat(records.get(1).value()).as("a tombstone on the compacted devices.health").isNull();
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                    .get("/api/v1/device-health/" + f.device()).then().statusCode(404));
            assertThat(settings(f).getList("id")).isEmpty();
            assertThat(count("SELECT count(*) FROM device WHERE id = $1", f.device())).isZero();
            // a later result of the deleted device changes nothing and publishes nothing
            TestKafka.send(f.ping(night(2), false));
            TestKafka.send(other.ping(night(2), true));
            awaitEvaluated(other, "reachable", night(2));
            assertThat(health.readToEnd()).hasSize(2);
        }
        // the other device keeps its state
        given().auth().oauth2(viewer(other)).get("/api/v1/device-health/" + other.device()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ok"));
    }
}
