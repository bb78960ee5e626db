package io.bandwatch.metrics.service;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.Metrics;
import java.time.Instant;
import java.util.UUID;

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
        // tags sorted by key: check, device, organization, server; their values are UUIDs (hex digits and
        // hyphens), which line protocol never escapes
        tag(line, Measurements.TAG_CHECK, result.checkId());
        tag(line, Measurements.TAG_DEVICE, result.deviceId());
        tag(line, Measurements.TAG_ORGANIZATION, result.organizationId());
        if (result.server() != null) {
            tag(line, Measurements.TAG_SERVER, result.server().id());
        }
        Fields fields = new Fields(line);
        Metrics metrics = result.metrics().orElse(null);
        if (metrics != null) {
            metrics.forEachField(fields);
        } else if (result.type() == CheckType.IPERF3) {
            Iperf3Metrics.failed().forEachField(fields);
        } else {
            fields.field("reachable", 0.0);
        }
        line.append(' ').append(nanos(result.finishedAt()));
    }

    private static void tag(StringBuilder line, String key, UUID value) {
        line.append(',').append(key).append('=').append(value);
    }

    /**
     * Appends the fields that have a finite value ({@code name=value}, comma separated): the names are the
     * contract's field names ({@code Metrics.fieldNames}: lower case letters, digits and underscores), which need
     * no escaping.
     */
    private static final class Fields implements Metrics.FieldSink {
        private final StringBuilder line;
        private char separator = ' ';

        Fields(StringBuilder line) {
            this.line = line;
        }

        @Override
        public void field(String name, double value) {
            if (Double.isFinite(value)) {
                line.append(separator).append(name).append('=');
                number(line, value);
                separator = ',';
            }
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
