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
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
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

    private Setting reachable(Fixture f) {
        return settingRepository.ofDevice(pool, f.device()).await().atMost(Duration.ofSeconds(30)).stream()
                .filter(s -> s.field().equals("reachable")).findFirst().orElseThrow();
    }

    private long count(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().atMost(Duration.ofSeconds(30)).iterator().next()
                .getLong(0);
    }
}
