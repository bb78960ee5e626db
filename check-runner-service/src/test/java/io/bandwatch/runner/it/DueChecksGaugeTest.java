package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.SshAuthMethod;
import io.bandwatch.runner.service.RunnerEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bandwatch_schedule_due_checks}, the backlog KEDA scales the runner on, against the real schedule table: read
 * from the service's meter registry (what {@code /q/metrics} renders, on whichever port it is served).
 */
@QuarkusTest
class DueChecksGaugeTest {

    @Inject
    RunnerEngine engine;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void warm() {
        warmUp();
    }

    private double gauge() {
        return registry.get("bandwatch_schedule_due_checks").gauge().value();
    }

    /** The gauge's value once it no longer moves over two counts (a count is at most 5 s old). */
    private double settled() {
        double[] last = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5_500)).until(() -> {
            double v = gauge();
            boolean same = v == last[0];
            last[0] = v;
            return same;
        });
        return last[0];
    }

    @Test
    void countsTheChecksDueAndNotClaimedOfEnabledDevicesAndDropsWhenTheyAreClaimed() {
        UUID org = UUID.randomUUID();
        UUID enabled = UUID.randomUUID();
        UUID disabled = UUID.randomUUID();
        publish(new DeviceSnapshot(enabled, org, "due-1", "198.18.0.11", 22, "bw", SshAuthMethod.KEY, null, List.of(),
                true, 1, Instant.now()));
        publish(new DeviceSnapshot(disabled, org, "due-2", "198.18.0.12", 22, "bw", SshAuthMethod.KEY, null, List.of(),
                false, 1, Instant.now()));
        List<UUID> due = List.of(publishPingCheck(org, enabled), publishPingCheck(org, enabled), publishPingCheck(org, enabled));
        UUID ofDisabled = publishPingCheck(org, disabled);
        due.forEach(Harness::awaitProjected);
        awaitProjected(ofDisabled);
        Awaitility.await().atMost(MAX_WAIT).until(() -> query("SELECT 1 FROM devices WHERE id = ?", disabled).size() == 1);
        engine.setClaiming(false);
        try {
            double before = settled();
            for (UUID check : due) {
                sql("UPDATE checks SET next_run_at = now() - interval '1 second' WHERE id = ?", check);
            }
            // never claimed (its device is disabled), so never counted: it would keep the runner scaled up
            sql("UPDATE checks SET next_run_at = now() - interval '1 second' WHERE id = ?", ofDisabled);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> gauge() == before + 3);
            assertThat(settled()).isEqualTo(before + 3);
            double afterDue = before + 3;
            engine.setClaiming(true);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> gauge() <= afterDue - 3);
            // claimed, run and published: the backlog was real work
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> due.stream().allMatch(check -> !results(check).isEmpty()));
            assertThat(results(ofDisabled)).isEmpty();
        } finally {
            engine.setClaiming(true);
            sql("DELETE FROM checks WHERE id = ?", ofDisabled); // due for ever otherwise
        }
    }
}
