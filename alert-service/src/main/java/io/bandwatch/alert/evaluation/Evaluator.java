package io.bandwatch.alert.evaluation;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.NotificationType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The tolerance rule, on event time only (never on arrival time). Pure: no clock, no I/O.
 *
 * <ul>
 * <li>A point whose time is not after {@code last_point_at} is ignored: late, duplicated or replayed data
 *     never changes the state.</li>
 * <li>A crossing point starts a run ({@code first_crossing_at}) or extends it. A setting in ok turns to
 *     problem when the tolerance is zero, or when the run has at least two points and spans at least the
 *     tolerance: {@code time - first_crossing_at >= tolerance}, both ends being points of the run. With a
 *     positive tolerance the span condition already implies a second point; the count makes the rule explicit
 *     (one crossing point alone never alerts when tolerance &gt; 0).</li>
 * <li>A point that does not cross ends the run; a setting in problem turns back to ok at once (recovery).</li>
 * </ul>
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param transition the notification to raise, or null
     * @param ignored    true when the point was too old to count (state unchanged)
     */
    public record Outcome(SettingState state, NotificationType transition, boolean ignored) {
    }

    public static Outcome evaluate(AlertOperator operator, double threshold, Duration tolerance, SettingState state,
            Instant time, double value) {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(tolerance, "tolerance");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(time, "time");
        if (state.lastPointAt() != null && !time.isAfter(state.lastPointAt())) {
            return new Outcome(state, null, true);
        }
        if (operator.crossed(value, threshold)) {
            Instant first = state.firstCrossingAt() == null ? time : state.firstCrossingAt();
            int points = state.firstCrossingAt() == null ? 1 : state.crossingPoints() + 1;
            boolean spans = tolerance.isZero()
                    || (points >= 2 && Duration.between(first, time).compareTo(tolerance) >= 0);
            if (state.status() == AlertStatus.OK && spans) {
                return new Outcome(new SettingState(AlertStatus.PROBLEM, first, points, time, value),
                        NotificationType.PROBLEM, false);
            }
            return new Outcome(new SettingState(state.status(), first, points, time, value), null, false);
        }
        if (state.status() == AlertStatus.PROBLEM) {
            return new Outcome(new SettingState(AlertStatus.OK, null, 0, time, value), NotificationType.RECOVERY, false);
        }
        return new Outcome(new SettingState(AlertStatus.OK, null, 0, time, value), null, false);
    }
}
