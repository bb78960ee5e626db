package io.bandwatch.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The intervals InfluxDB 1.x makes for {@code WHERE time >= start AND time < end GROUP BY time(step) tz(zone)
 * fill(...)}, computed here instead of asked for (issue 14 item 5: the {@code count()} statement that returned them
 * cost InfluxDB 2-5 ms of a year's chart request). The same arithmetic as InfluxDB's {@code IteratorOptions.Window}
 * (the interval a point falls in) and its fill iterator (the intervals from the one holding the start to the one
 * holding the last nanosecond before the end, each the previous plus the step, moved by a change of the zone's
 * offset that is smaller than the step), in nanoseconds, offsets from the zone's rules at each instant.
 * <p>
 * Both must agree for the answer to be data-independent: InfluxDB names an interval with points by
 * {@code Window(point)} and an empty one by the fill iterator's time. Where they could differ (a zone whose offset
 * changes at a window boundary, such as a daylight-saving change at local midnight with a 1-day step), this gives
 * nothing and the caller asks InfluxDB; {@code InfluxWindowsTest} compares both with InfluxDB's own answer.
 */
public final class InfluxWindows {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private InfluxWindows() {
    }

    /**
     * Interval starts in epoch milliseconds, ascending; empty when the windows cannot be shown to be those InfluxDB
     * answers whatever the data (see the class comment).
     */
    public static Optional<List<Long>> starts(Instant start, Instant end, Duration step, ZoneId zone) {
        try {
            return compute(start, end, step, zone);
        } catch (ArithmeticException e) {
            // outside InfluxDB's nanosecond time (before 1677 or after 2262): InfluxDB answers for itself
            return Optional.empty();
        }
    }

    private static Optional<List<Long>> compute(Instant start, Instant end, Duration step, ZoneId zone) {
        long d = step.toNanos();
        ZoneRules rules = zone.getRules();
        long startNs = PointMapper.nanos(start);
        long lastNs = PointMapper.nanos(end) - 1; // InfluxDB's EndTime for time < end
        long first = window(startNs, d, rules);
        long last = window(lastNs, d, rules);
        List<Long> starts = new ArrayList<>();
        long w = first;
        long offset = offset(w, rules);
        while (w <= last) {
            // a window boundary only if the windows of the points agree: the window of its start is itself
            if (window(w, d, rules) != w || w % 1_000_000L != 0) {
                return Optional.empty();
            }
            starts.add(w / 1_000_000L);
            w += d;
            long next = offset(w - 1, rules);
            if (next != offset) {
                long diff = offset - next;
                if (Math.abs(diff) < d) {
                    w += diff;
                }
                offset = next;
            }
            // and the last nanosecond before the next window, and both sides of an offset change inside the
            // window, belong to this one
            long previous = starts.get(starts.size() - 1) * 1_000_000L;
            long until = Math.min(w, lastNs + 1);
            if (window(until - 1, d, rules) != previous) {
                return Optional.empty();
            }
            for (var t = rules.nextTransition(instant(previous));
                    t != null && PointMapper.nanos(t.getInstant()) < until; t = rules.nextTransition(t.getInstant())) {
                long at = PointMapper.nanos(t.getInstant());
                if (window(at, d, rules) != previous || window(at - 1, d, rules) != previous) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(starts);
    }

    /** InfluxDB's {@code IteratorOptions.Window(t)} start, without a GROUP BY offset. */
    static long window(long t, long d, ZoneRules rules) {
        long zone = offset(t, rules);
        long dt = Math.floorMod(t + zone, d);
        long start = t - dt;
        long o = zone - offset(start, rules);
        if (o != 0 && Math.abs(o) < d) {
            start += o;
        }
        return start;
    }

    private static long offset(long nanos, ZoneRules rules) {
        return rules.getOffset(instant(nanos)).getTotalSeconds() * NANOS_PER_SECOND;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
