package io.bandwatch.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.NotificationType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tolerance rule on event time, point by point. */
class EvaluatorTest {

    private static final Duration TWO_DAYS = Duration.ofDays(2);
    private static final double TEN_MBPS = 10e6;

    private static Instant night(int day) {
        return Instant.parse(String.format("2026-01-%02dT02:00:00Z", day));
    }

    /** Runs points through the evaluator; the transitions, with the index of the point that raised each. */
    private static List<String> run(Duration tolerance, SettingState[] last, Object... timeValue) {
        SettingState state = SettingState.INITIAL;
        List<String> transitions = new ArrayList<>();
        for (int i = 0; i < timeValue.length; i += 2) {
            Evaluator.Outcome o = Evaluator.evaluate(AlertOperator.LESS_THAN, TEN_MBPS, tolerance, state,
                    (Instant) timeValue[i], ((Number) timeValue[i + 1]).doubleValue());
            state = o.state();
            if (o.transition() != null) {
                transitions.add(o.transition().jsonName() + "@" + (i / 2));
            }
        }
        if (last != null) {
            last[0] = state;
        }
        return transitions;
    }

    @Test
    void nightlyResultsAlertOnTheThirdNightWhenTheCrossingHasLastedTwoDays() {
        SettingState[] last = new SettingState[1];
        assertThat(run(TWO_DAYS, last, night(1), 4.3e6, night(2), 4.3e6)).isEmpty();
        assertThat(last[0].status()).isEqualTo(AlertStatus.OK);
        assertThat(last[0].firstCrossingAt()).isEqualTo(night(1));
        assertThat(run(TWO_DAYS, last, night(1), 4.3e6, night(2), 4.3e6, night(3), 4.3e6, night(4), 3e6, night(5), 25e6))
                .containsExactly("problem@2", "recovery@4");
        assertThat(last[0].status()).isEqualTo(AlertStatus.OK);
        assertThat(last[0].firstCrossingAt()).isNull();
    }

    @Test
    void aSpanOneSecondShortOfTheToleranceDoesNotAlert() {
        Instant first = night(1).plusSeconds(1);
        assertThat(run(TWO_DAYS, null, first, 1e6, night(2), 1e6, night(3), 1e6)).isEmpty();
        assertThat(run(TWO_DAYS, null, first, 1e6, night(2), 1e6, night(3), 1e6, night(3).plusSeconds(1), 1e6))
                .containsExactly("problem@3");
    }

    @Test
    void oneCrossingPointNeverAlertsWhenToleranceIsPositive() {
        assertThat(run(Duration.ofMinutes(1), null, night(1), 0)).isEmpty();
    }

    @Test
    void zeroToleranceAlertsOnTheFirstCrossingPoint() {
        assertThat(run(Duration.ZERO, null, night(1), 0, night(2), 0, night(3), 20e6))
                .containsExactly("problem@0", "recovery@2");
    }

    @Test
    void aGoodPointRestartsTheRun() {
        assertThat(run(TWO_DAYS, null, night(1), 1e6, night(2), 20e6, night(3), 1e6, night(4), 1e6, night(5), 1e6))
                .containsExactly("problem@4");
    }

    @Test
    void theThresholdItselfDoesNotCross() {
        assertThat(run(Duration.ZERO, null, night(1), TEN_MBPS)).isEmpty();
    }

    @Test
    void lateDuplicatedOrReplayedPointsNeverChangeTheState() {
        SettingState[] last = new SettingState[1];
        run(TWO_DAYS, last, night(1), 1e6, night(2), 1e6, night(3), 1e6);
        SettingState problem = last[0];
        assertThat(problem.status()).isEqualTo(AlertStatus.PROBLEM);
        for (Instant t : List.of(night(3), night(2), night(1))) {
            Evaluator.Outcome o = Evaluator.evaluate(AlertOperator.LESS_THAN, TEN_MBPS, TWO_DAYS, problem, t, 50e6);
            assertThat(o.ignored()).isTrue();
            assertThat(o.transition()).isNull();
            assertThat(o.state()).isEqualTo(problem);
        }
    }

    @Test
    void greaterThanCrossesAbove() {
        Evaluator.Outcome o = Evaluator.evaluate(AlertOperator.GREATER_THAN, 100, Duration.ZERO, SettingState.INITIAL,
                night(1), 101);
        assertThat(o.transition()).isEqualTo(NotificationType.PROBLEM);
        o = Evaluator.evaluate(AlertOperator.GREATER_THAN, 100, Duration.ZERO, o.state(), night(2), 99);
        assertThat(o.transition()).isEqualTo(NotificationType.RECOVERY);
    }
}
