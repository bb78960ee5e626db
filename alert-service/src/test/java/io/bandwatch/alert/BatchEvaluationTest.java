package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.alert.repository.ConsumerOffsetRepository;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.alert.service.EvaluationService;
import io.bandwatch.alert.service.PartitionState;
import io.bandwatch.alert.service.SettingsService;
import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The batch evaluator on its own (no Kafka: batches handed to {@link EvaluationService#evaluate} as a consumer does),
 * on a topic name of its own: a replica that lost its partition cannot commit a batch after the new owner, and a
 * setting changed through the API is evaluated with its new rule by a consumer that kept the old one in memory.
 */
@QuarkusTest
class BatchEvaluationTest {

    @Inject
    EvaluationService evaluation;

    @Inject
    SettingsService settingsService;

    @Inject
    SettingRepository settingRepository;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static PartitionState partition(String topic) {
        return new PartitionState("batch-test", topic, 0, ConsumerOffsetRepository.NONE);
    }

    @Test
    void aConsumerThatLostItsPartitionCommitsNothingAndTheOwnerGoesOn() {
        String topic = "batch-test-" + UUID.randomUUID();
        Fixture f = Fixture.ping();
        PartitionState owner = partition(topic);
        PartitionState zombie = partition(topic); // read the same (no) position before the owner committed

        assertThat(evaluation.evaluate(owner, List.of(f.ping(T0, true)), 1).await().atMost(Duration.ofSeconds(30)))
                .isTrue();
        // the zombie's batch would raise a problem (unreachable for 40 minutes): it is refused as a whole
        boolean committed = evaluation.evaluate(zombie, List.of(f.ping(T0.plusSeconds(600), false),
                f.ping(T0.plusSeconds(3000), false)), 3).await().atMost(Duration.ofSeconds(30));
        assertThat(committed).isFalse();
        assertThat(count("SELECT count(*) FROM notification WHERE device_id = $1", f.device())).isZero();
        assertThat(reachable(f).state().lastPointAt()).isEqualTo(T0);
        assertThat(count("SELECT next_offset FROM consumer_offset WHERE group_id = 'batch-test' AND topic = $1", topic))
                .isEqualTo(1);

        // the owner's next batch evaluates them once
        assertThat(evaluation.evaluate(owner, List.of(f.ping(T0.plusSeconds(600), false),
                f.ping(T0.plusSeconds(3000), false)), 3).await().atMost(Duration.ofSeconds(30))).isTrue();
        assertThat(count("SELECT count(*) FROM notification WHERE device_id = $1 AND type = 'problem'", f.device()))
                .isEqualTo(1);
        assertThat(owner.storedOffset()).isEqualTo(3);
    }

    @Test
    void aSettingChangedThroughTheApiIsEvaluatedWithItsNewRuleByAConsumerThatKeptTheOldOne() {
        String topic = "batch-test-" + UUID.randomUUID();
        Fixture f = Fixture.ping();
        PartitionState consumer = partition(topic);
        evaluation.evaluate(consumer, List.of(f.ping(T0, true)), 1).await().atMost(Duration.ofSeconds(30));
        assertThat(consumer.devicesKept()).isEqualTo(1);
        Setting reachable = reachable(f);
        assertThat(reachable.tolerance()).isEqualTo(Duration.ofMinutes(30));

        // tolerance 0: the first unreachable point is a problem (with the kept 30 minutes it would not be)
        settingsService.update(reachable.id(), AlertOperator.LESS_THAN, 1, Duration.ZERO, true, org -> true, org -> true)
                .await().atMost(Duration.ofSeconds(30));
        evaluation.evaluate(consumer, List.of(f.ping(T0.plusSeconds(300), false)), 2).await().atMost(Duration.ofSeconds(30));

        assertThat(count("SELECT count(*) FROM notification WHERE device_id = $1 AND type = 'problem'", f.device()))
                .isEqualTo(1);
        assertThat(reachable(f).state().lastPointAt()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void aTransitionRecordedBeforeIsNotNotifiedTwiceAndTheBatchStillCommits() {
        String topic = "batch-test-" + UUID.randomUUID();
        Fixture f = Fixture.ping();
        PartitionState consumer = partition(topic);
        evaluation.evaluate(consumer, List.of(f.ping(T0, true)), 1).await().atMost(Duration.ofSeconds(30));
        Setting reachable = reachable(f);
        Instant down = T0.plusSeconds(3000); // 50 minutes unreachable: past the 30 minute tolerance
        UUID problem = EventType.derivedEventId(EventType.ALERT_NOTIFICATION, reachable.id(), "problem", down);
        // the problem this batch raises is already recorded (an earlier delivery of the same results, say)
        pool.preparedQuery("INSERT INTO notification (id, organization_id, device_id, check_id, alert_setting_id, type, "
                + "field, operator, threshold, tolerance_seconds, value, time, message) VALUES ($1, $2, $3, $4, $5, "
                + "'problem', 'reachable', '<', 1, 1800, 0, $6, 'recorded before')")
                .execute(Tuple.from(List.of(problem, f.org(), f.device(), f.check(), reachable.id(),
                        down.atOffset(ZoneOffset.UTC))))
                .await().atMost(Duration.ofSeconds(30));

        double retried = retriedBatches();
        assertThat(evaluation.evaluate(consumer, List.of(f.ping(T0.plusSeconds(600), false), f.ping(down, false)), 3)
                .await().atMost(Duration.ofSeconds(30))).isTrue();
        assertThat(retriedBatches()).isEqualTo(retried + 1); // what an operator sees of it, beside an INFO line

        // one problem, the recorded one untouched, and no second event for it; the batch itself committed
        assertThat(count("SELECT count(*) FROM notification WHERE device_id = $1", f.device())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notification WHERE id = $1 AND message = 'recorded before'", problem))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE event_id = $1", problem)).isZero();
        assertThat(reachable(f).state().lastPointAt()).isEqualTo(down);
        assertThat(consumer.storedOffset()).isEqualTo(3);
        assertThat(count("SELECT next_offset FROM consumer_offset WHERE group_id = 'batch-test' AND topic = $1", topic))
                .isEqualTo(3);

        // the next transition is new: recorded and sent as usual
        Instant up = down.plusSeconds(300);
        assertThat(evaluation.evaluate(consumer, List.of(f.ping(up, true)), 4).await().atMost(Duration.ofSeconds(30)))
                .isTrue();
        UUID recovery = EventType.derivedEventId(EventType.ALERT_NOTIFICATION, reachable.id(), "recovery", up);
        assertThat(count("SELECT count(*) FROM notification WHERE id = $1", recovery)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE event_id = $1", recovery)).isEqualTo(1);
    }

    private double retriedBatches() {
        return registry.counter("bandwatch.alert.batches.retried", "reason", "recorded_notification").count();
    }

    private Setting reachable(Fixture f) {
        return settingRepository.ofDevice(pool, f.device()).await().atMost(Duration.ofSeconds(30)).stream()
                .filter(s -> s.field().equals("reachable")).findFirst().orElseThrow();
    }

    private long count(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().atMost(Duration.ofSeconds(30)).iterator().next()
                .getLong(0);
    }
}
