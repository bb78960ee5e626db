package io.bandwatch.runner.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Schedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** The next start of a schedule: the next cron time in its time zone (or now + interval), plus a random slip. */
public final class NextRun {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private NextRun() {
    }

    /** Bound of each cache below; past it a cache starts anew (schedules are few in practice: inventory's defaults). */
    static final int CACHE_LIMIT = 10_000;
    /** Parsed schedules by their JSON and cron executions by expression: the claim loop computes one per claimed row. */
    private static final Map<String, Schedule> SCHEDULES = new ConcurrentHashMap<>();
    private static final Map<String, ExecutionTime> EXECUTIONS = new ConcurrentHashMap<>();

    private static <V> V cached(Map<String, V> cache, String key, Function<String, V> make) {
        V value = cache.get(key);
        if (value == null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            value = make.apply(key);
            cache.put(key, value);
        }
        return value;
    }

    /** A schedule from its JSON (as the checks table keeps it). */
    public static Schedule parse(String json) {
        return cached(SCHEDULES, json, j -> EventJson.read(j.getBytes(StandardCharsets.UTF_8), Schedule.class));
    }

    /** The next nominal time strictly after {@code after}, without slip. */
    public static Instant nominal(Schedule schedule, Instant after) {
        if (schedule.interval() != null) {
            return after.plus(schedule.interval());
        }
        ExecutionTime execution = cached(EXECUTIONS, schedule.cron(), cron -> ExecutionTime.forCron(UNIX.parse(cron)));
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
