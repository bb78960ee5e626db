package io.bandwatch.metrics.service;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.Iperf3Metrics;
import java.time.Instant;
import java.util.Map;

/**
 * One point per result, as one line of InfluxDB line protocol built straight from the result (no intermediate
 * point object, no number formatter): measurement = check type; tags organization, device, check and (iperf3)
 * server, sorted by key as InfluxDB prefers; every metric field as a float (so a field never changes type; a value
 * that is not finite is left out, InfluxDB cannot store it); time = finished_at in nanoseconds. The same result
 * always gives the same measurement, tags and time, so writing it twice leaves one point. A failed run is written
 * too: {@code iperf3_result 0}, or for a ping that could not run {@code reachable 0} (no loss or RTT is known, so no
 * other field is written).
 */
public final class PointMapper {

    private PointMapper() {
    }

    /** The line of a result (without a newline). */
    public static String line(CheckResult result) {
        StringBuilder line = new StringBuilder(320);
        append(line, result);
        return line.toString();
    }

    /** Appends the line of a result (without a newline). */
    public static void append(StringBuilder line, CheckResult result) {
        line.append(Measurements.of(result.type()));
        // tags sorted by key: check, device, organization, server
        tag(line, Measurements.TAG_CHECK, result.checkId().toString());
        tag(line, Measurements.TAG_DEVICE, result.deviceId().toString());
        tag(line, Measurements.TAG_ORGANIZATION, result.organizationId().toString());
        if (result.server() != null) {
            tag(line, Measurements.TAG_SERVER, result.server().id().toString());
        }
        Map<String, Double> fields = result.metrics()
                .map(m -> m.fields())
                .orElseGet(() -> result.type() == CheckType.IPERF3 ? Iperf3Metrics.failed().fields()
                        : Map.of("reachable", 0.0));
        char separator = ' ';
        for (Map.Entry<String, Double> field : fields.entrySet()) {
            double value = field.getValue();
            if (Double.isFinite(value)) {
                line.append(separator);
                escape(line, field.getKey());
                line.append('=');
                number(line, value);
                separator = ',';
            }
        }
        line.append(' ').append(nanos(result.finishedAt()));
    }

    private static void tag(StringBuilder line, String key, String value) {
        line.append(',').append(key).append('=');
        escape(line, value);
    }

    /** Tag keys and values and field keys: a backslash before commas, equal signs and spaces. */
    private static void escape(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                line.append('\\');
            }
            line.append(c);
        }
    }

    /**
     * A float field: a whole number below 2^53 as its digits (no {@code i} suffix, so it stays a float), otherwise
     * Java's shortest exact form ({@code 0.25}, {@code 9.87E9}), which InfluxDB reads back to the same double.
     */
    static void number(StringBuilder line, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15) {
            line.append((long) value);
        } else {
            line.append(value);
        }
    }

    static long nanos(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
    }
}
