package io.bandwatch.runner.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.bandwatch.events.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.ThreadLocalRandom;

/** The next start of a schedule: the next cron time in its time zone (or now + interval), plus a random slip. */
public final class NextRun {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private NextRun() {
    }

    /** The next nominal time strictly after {@code after}, without slip. */
    public static Instant nominal(Schedule schedule, Instant after) {
        if (schedule.interval() != null) {
            return after.plus(schedule.interval());
        }
        ExecutionTime execution = ExecutionTime.forCron(UNIX.parse(schedule.cron()));
        ZonedDateTime from = after.atZone(ZoneId.of(schedule.timeZone()));
        return execution.nextExecution(from)
                .orElseThrow(() -> new IllegalArgumentException("cron '" + schedule.cron() + "' never fires"))
                .toInstant();
    }

    /** The next start: nominal time plus a random slip in [0, random_slip]. */
    public static Instant next(Schedule schedule, Instant after) {
        Instant nominal = nominal(schedule, after);
        Duration slip = schedule.randomSlip();
        if (slip.isZero()) {
            return nominal;
        }
        return nominal.plusMillis(ThreadLocalRandom.current().nextLong(slip.toMillis() + 1));
    }

    /** Rejects an expression the cron library cannot read (the event record checks only the shape). */
    public static void validate(Schedule schedule) {
        if (schedule.cron() != null) {
            UNIX.parse(schedule.cron()).validate();
        }
    }
}
