package io.bandwatch.metrics.service;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.Iperf3Metrics;
import java.time.Instant;
import java.util.Map;

/**
 * One point per result: measurement = check type; tags organization, device, check and (iperf3) server;
 * every metric field as a float (so a field never changes type); time = finished_at in nanoseconds. The same
 * result always gives the same measurement, tags and time, so writing it twice leaves one point. A failed
 * run is written too: {@code iperf3_result 0}, or for a ping that could not run {@code reachable 0} (no
 * loss or RTT is known, so no other field is written).
 */
public final class PointMapper {

    private PointMapper() {
    }

    public static Point toPoint(CheckResult result) {
        Point point = Point.measurement(Measurements.of(result.type()))
                .addTag(Measurements.TAG_ORGANIZATION, result.organizationId().toString())
                .addTag(Measurements.TAG_DEVICE, result.deviceId().toString())
                .addTag(Measurements.TAG_CHECK, result.checkId().toString())
                .time(nanos(result.finishedAt()), WritePrecision.NS);
        if (result.server() != null) {
            point.addTag(Measurements.TAG_SERVER, result.server().id().toString());
        }
        Map<String, Double> fields = result.metrics()
                .map(m -> m.fields())
                .orElseGet(() -> result.type() == CheckType.IPERF3 ? Iperf3Metrics.failed().fields()
                        : Map.of("reachable", 0.0));
        fields.forEach(point::addField);
        return point;
    }

    static long nanos(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
    }
}
