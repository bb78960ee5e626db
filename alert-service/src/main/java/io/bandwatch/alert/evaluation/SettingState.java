package io.bandwatch.alert.evaluation;

import java.time.Instant;
import java.util.Objects;

/**
 * The evaluation state of one alert setting.
 *
 * @param status          ok or problem
 * @param firstCrossingAt event time of the first point of the current run of crossing points, null when the
 *                        last point did not cross (or there was none)
 * @param crossingPoints  number of points in the current run of crossing points
 * @param lastPointAt     event time of the newest point evaluated; points at or before it are ignored
 * @param lastValue       value of that point
 */
public record SettingState(AlertStatus status, Instant firstCrossingAt, int crossingPoints, Instant lastPointAt,
        Double lastValue) {

    /** Before any point. */
    public static final SettingState INITIAL = new SettingState(AlertStatus.OK, null, 0, null, null);

    public SettingState {
        Objects.requireNonNull(status, "status");
    }
}
