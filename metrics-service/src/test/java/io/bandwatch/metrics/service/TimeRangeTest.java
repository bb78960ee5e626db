package io.bandwatch.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void fixedRangesEndNowWithTheirIntervals() {
        assertThat(TimeRange.parse("1d", null, null, "Europe/Rome", NOW).influxStep()).isEqualTo("10m");
        assertThat(TimeRange.parse("3d", null, null, null, NOW).influxStep()).isEqualTo("20m");
        TimeRange week = TimeRange.parse(null, null, null, null, NOW);
        assertThat(week.influxStep()).isEqualTo("1h");
        assertThat(week.start()).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(week.end()).isEqualTo(NOW);
        assertThat(TimeRange.parse("30d", null, null, null, NOW).influxStep()).isEqualTo("1d");
        assertThat(TimeRange.parse("365d", null, null, null, NOW).influxStep()).isEqualTo("1d");
    }

    @Test
    void customRangesChooseAComparableStep() {
        TimeRange twoDays = TimeRange.parse(null, "2026-04-01", "2026-04-03", "Europe/Rome", NOW);
        assertThat(twoDays.start()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(twoDays.influxStep()).isEqualTo("20m");
        assertThat(TimeRange.parse(null, "2026-04-01T00:00:00Z", "2026-04-08T00:00:00Z", null, NOW).influxStep())
                .isEqualTo("1h");
        assertThat(TimeRange.parse(null, "2026-04-01", "2026-04-11", null, NOW).influxStep()).isEqualTo("1d");
        assertThat(TimeRange.parse(null, "2026-01-01", "2026-04-01", null, NOW).influxStep()).isEqualTo("1d");
        assertThat(TimeRange.parse(null, "2026-04-01T10:00:00Z", "2026-04-01T16:00:00Z", null, NOW).influxStep())
                .isEqualTo("5m");
        assertThat(TimeRange.parse(null, "2023-01-01", "2026-01-01", null, NOW).influxStep()).isEqualTo("30d");
    }

    @Test
    void badParametersNameTheField() {
        assertThatThrownBy(() -> TimeRange.parse("2d", null, null, null, NOW))
                .hasFieldOrPropertyWithValue("field", "time");
        assertThatThrownBy(() -> TimeRange.parse(null, null, null, "Mars/Olympus", NOW))
                .hasFieldOrPropertyWithValue("field", "tz");
        assertThatThrownBy(() -> TimeRange.parse(null, "2026-04-03", "2026-04-01", null, NOW))
                .hasFieldOrPropertyWithValue("field", "end");
        assertThatThrownBy(() -> TimeRange.parse(null, "yesterday", "2026-04-01", null, NOW))
                .hasFieldOrPropertyWithValue("field", "start");
    }
}
