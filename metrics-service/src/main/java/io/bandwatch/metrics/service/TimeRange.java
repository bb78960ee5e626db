package io.bandwatch.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The range of a chart query and its group-by interval. Fixed ranges end now: 1d → 10 min, 3d → 20 min,
 * 7d → 1 h, 30d → 24 h, 365d → 24 h (OpenWISP Monitoring's steps; a year is 365 daily points, read from the
 * daily rollups). A custom range (start, end) takes a comparable step, see {@link #customStep}.
 */
public record TimeRange(Instant start, Instant end, Duration step, ZoneId zone, String label) {

    public static final Map<String, Duration[]> FIXED = Map.of(
            "1d", new Duration[] {Duration.ofDays(1), Duration.ofMinutes(10)},
            "3d", new Duration[] {Duration.ofDays(3), Duration.ofMinutes(20)},
            "7d", new Duration[] {Duration.ofDays(7), Duration.ofHours(1)},
            "30d", new Duration[] {Duration.ofDays(30), Duration.ofHours(24)},
            "365d", new Duration[] {Duration.ofDays(365), Duration.ofDays(1)});

    static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(20), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30));

    /** Thrown for a bad parameter; names it. */
    public static final class InvalidParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidParameter(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** From the query parameters: {@code time} (default 7d) or both {@code start} and {@code end}, and {@code tz}. */
    public static TimeRange parse(String time, String start, String end, String tz, Instant now) {
        ZoneId zone;
        try {
            zone = ZoneId.of(tz == null || tz.isBlank() ? "UTC" : tz);
        } catch (RuntimeException e) {
            throw new InvalidParameter("tz", "unknown time zone '" + tz + "' (an IANA name such as Europe/Rome)");
        }
        boolean custom = start != null || end != null;
        if (custom) {
            if (time != null) {
                throw new InvalidParameter("time", "give either time or start and end, not both");
            }
            if (start == null || end == null) {
                throw new InvalidParameter(start == null ? "start" : "end", "start and end go together");
            }
            Instant from = instant(start, zone, "start");
            Instant to = instant(end, zone, "end");
            if (!to.isAfter(from)) {
                throw new InvalidParameter("end", "must be after start");
            }
            Duration length = Duration.between(from, to);
            if (length.compareTo(Duration.ofDays(3660)) > 0) {
                throw new InvalidParameter("end", "a range is at most 10 years");
            }
            return new TimeRange(from, to, customStep(length), zone, "custom");
        }
        String key = time == null ? "7d" : time;
        Duration[] fixed = FIXED.get(key);
        if (fixed == null) {
            throw new InvalidParameter("time", "one of 1d, 3d, 7d, 30d, 365d (or start and end), not '" + time + "'");
        }
        return new TimeRange(now.minus(fixed[0]), now, fixed[1], zone, key);
    }

    /**
     * Up to a day: the smallest step giving at most 144 intervals (as 1d). Longer: the step of the smallest fixed
     * range that covers the length (2 days → 20 min as 3d; 10 days → 24 h as 30d, 100 days → 24 h as 365d); beyond
     * a year 30 days.
     */
    static Duration customStep(Duration length) {
        if (length.compareTo(Duration.ofDays(1)) <= 0) {
            return STEPS.stream().filter(s -> length.dividedBy(s) <= 144).findFirst().orElseThrow();
        }
        for (String key : List.of("3d", "7d", "30d", "365d")) {
            if (length.compareTo(FIXED.get(key)[0]) <= 0) {
                return FIXED.get(key)[1];
            }
        }
        return Duration.ofDays(30);
    }

    private static Instant instant(String value, ZoneId zone, String field) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(value).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(field, "not an ISO-8601 date or date-time: '" + value + "'");
        }
    }

    /** The step as an InfluxQL duration literal. */
    public String influxStep() {
        long minutes = step.toMinutes();
        return minutes % (60 * 24) == 0 ? (minutes / (60 * 24)) + "d"
                : minutes % 60 == 0 ? (minutes / 60) + "h" : minutes + "m";
    }
}
