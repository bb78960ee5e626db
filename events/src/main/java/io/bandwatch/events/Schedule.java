package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a check runs: a cron expression in a time zone, or a fixed interval (exactly one of the two),
 * plus an optional random slip: each start is delayed by a random duration in [0, random_slip].
 *
 * @param cron       Unix cron, 5 fields separated by single spaces (minute hour day-of-month month
 *                   day-of-week), e.g. {@code "0 2 * * *"}; null when {@code interval} is set
 * @param timeZone   IANA time zone id for the cron expression, default {@code "UTC"}
 * @param interval   fixed interval (at least {@link #MIN_INTERVAL}); null when {@code cron} is set
 * @param randomSlip largest random delay of a start, default {@code PT0S}, at most {@link #MAX_RANDOM_SLIP}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(String cron, String timeZone, Duration interval, Duration randomSlip) {

    /** Five fields of digits, names, {@code * , / -}; the schema uses the same pattern. */
    public static final String CRON_REGEX = "^[0-9A-Za-z*,/-]+( [0-9A-Za-z*,/-]+){4}$";
    public static final String DEFAULT_TIME_ZONE = "UTC";
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    /** A slip spreads the starts of one run; a longer one would push a nightly run past the next night's. */
    public static final Duration MAX_RANDOM_SLIP = Duration.ofDays(1);

    private static final Pattern CRON = Pattern.compile(CRON_REGEX);
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    public Schedule {
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        randomSlip = randomSlip == null ? Duration.ZERO : randomSlip;
        if ((cron == null) == (interval == null)) {
            throw new InvalidFieldException("schedule", "exactly one of cron and interval must be set");
        }
        if (cron != null && !CRON.matcher(cron).matches()) {
            throw new InvalidFieldException("schedule.cron",
                    "not a 5-field cron expression (minute hour day-of-month month day-of-week): '" + cron + "'");
        }
        if (cron != null) {
            requireRunnable(cron);
        }
        if (!ZONES.contains(timeZone)) {
            throw new InvalidFieldException("schedule.time_zone", "not an IANA time zone id: '" + timeZone + "'");
        }
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            throw new InvalidFieldException("schedule.interval", "must be at least " + MIN_INTERVAL + ", was " + interval);
        }
        Validation.nonNegative(randomSlip, "schedule.random_slip");
        if (randomSlip.compareTo(MAX_RANDOM_SLIP) > 0) {
            throw new InvalidFieldException("schedule.random_slip", "must be at most one day, was " + randomSlip);
        }
    }

    /**
     * Parses the expression with cron-utils, as the runner schedules it, and asks for its next time: an
     * expression the runner could not schedule ({@code "*\/0 * * * *"}, {@code "0 0 31 2 *"}) is refused here,
     * with cron-utils' reason.
     */
    private static void requireRunnable(String cron) {
        String reason;
        try {
            Cron parsed = UNIX.parse(cron).validate();
            if (ExecutionTime.forCron(parsed).nextExecution(ZonedDateTime.now(ZoneOffset.UTC)).isPresent()) {
                return;
            }
            reason = "never fires";
        } catch (RuntimeException e) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        throw new InvalidFieldException("schedule.cron", "not a cron expression the runner can schedule: " + reason);
    }

    /** A cron schedule; a null zone means UTC. */
    public static Schedule ofCron(String cron, String timeZone) {
        return new Schedule(Objects.requireNonNull(cron, "cron"), timeZone, null, null);
    }

    public static Schedule ofInterval(Duration interval) {
        return new Schedule(null, null, Objects.requireNonNull(interval, "interval"), null);
    }

    public Schedule withRandomSlip(Duration slip) {
        return new Schedule(cron, timeZone, interval, slip);
    }
}
