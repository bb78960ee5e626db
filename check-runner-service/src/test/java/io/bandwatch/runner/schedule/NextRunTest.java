package io.bandwatch.runner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Next run from cron in the check's time zone, interval, random slip. */
class NextRunTest {

    @Test
    void cronInItsTimeZone() {
        Instant after = Instant.parse("2026-05-01T12:00:00Z");
        assertThat(NextRun.nominal(Schedule.ofCron("0 2 * * *", "UTC"), after)).isEqualTo(Instant.parse("2026-05-02T02:00:00Z"));
        // 02:00 in Berlin (CEST, UTC+2) is 00:00 UTC
        assertThat(NextRun.nominal(Schedule.ofCron("0 2 * * *", "Europe/Berlin"), after))
                .isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
        assertThat(NextRun.nominal(Schedule.ofCron("*/5 0-6 * * *", "UTC"), Instant.parse("2026-05-01T03:02:00Z")))
                .isEqualTo(Instant.parse("2026-05-01T03:05:00Z"));
    }

    @Test
    void intervalAndSlip() {
        Instant after = Instant.parse("2026-05-01T12:00:00Z");
        assertThat(NextRun.next(Schedule.ofInterval(Duration.ofMinutes(5)), after)).isEqualTo(after.plusSeconds(300));
        Schedule slipped = Schedule.ofCron("0 2 * * *", "UTC").withRandomSlip(Duration.ofMinutes(30));
        for (int i = 0; i < 50; i++) {
            Instant next = NextRun.next(slipped, after);
            assertThat(next).isBetween(Instant.parse("2026-05-02T02:00:00Z"), Instant.parse("2026-05-02T02:30:00Z"));
        }
    }
}
