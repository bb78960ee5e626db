package io.bandwatch.metrics.rest;

import static io.bandwatch.metrics.influx.InfluxQl.ident;
import static io.bandwatch.metrics.influx.InfluxQl.literal;

import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.influx.InfluxQl;
import io.bandwatch.metrics.service.ChartService;
import io.bandwatch.metrics.service.DeviceDirectory;
import io.bandwatch.metrics.service.Measurements;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.security.Caller;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Figures across devices for the console's fleet overview: the last values of many devices in one query each
 * (iperf3, ping), and the devices with the lowest median TCP bandwidth. Devices the caller may not read are left
 * out, exactly like unknown ones.
 */
@Path("/api/v1/fleet")
@Tag(name = "fleet", description = "Figures across devices")
@SecurityRequirement(name = "jwt")
@RolesAllowed({"user", "superuser", "service"})
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class FleetMetricsResource {

    /** At most this many devices per latest call (one page of the console's fleet list is 50). */
    static final int MAX_DEVICES = 500;
    static final List<String> IPERF3_FIELDS = List.of("received_bps_tcp", "jitter", "lost_percent");
    static final List<String> PING_FIELDS = List.of("rtt_avg", "loss");

    private final InfluxQl influxQl;
    private final InfluxConfig config;
    private final DeviceDirectory devices;
    private final Caller access;

    FleetMetricsResource(InfluxQl influxQl, InfluxConfig config, DeviceDirectory devices, Caller access) {
        this.influxQl = influxQl;
        this.config = config;
        this.devices = devices;
        this.access = access;
    }

    /** The last point of a device: iperf3 fields and their time, ping fields and their time (null when none). */
    public record Latest(UUID deviceId, Double receivedBpsTcp, Double jitter, Double lostPercent, Instant iperf3Time,
            Double rttAvg, Double loss, Instant pingTime) {
    }

    public record LatestList(List<Latest> items) {
    }

    public record Slowest(UUID deviceId, String name, UUID organizationId, double medianReceivedBpsTcp) {
    }

    public record SlowestList(List<Slowest> items) {
    }

    @GET
    @Path("latest")
    @Operation(summary = "The last iperf3 and ping values of each listed device (one InfluxQL query per check type)",
            description = "device_id repeated, at most 500; unknown or foreign ids are left out")
    @APIResponse(responseCode = "200", description = "items in the order asked, only devices with data")
    @APIResponse(responseCode = "400", description = "no device_id, too many, or one that is not a UUID")
    public LatestList latest(@QueryParam("device_id") List<String> ids, @Context UriInfo uri) {
        if (ids == null || ids.isEmpty()) {
            throw ProblemException.validation("device_id", "at least one device id is needed");
        }
        if (ids.size() > MAX_DEVICES) {
            throw ProblemException.validation("device_id", "at most " + MAX_DEVICES + " devices per call");
        }
        Set<UUID> readable = new LinkedHashSet<>();
        for (String id : ids) {
            UUID deviceId;
            try {
                deviceId = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation("device_id", "not a UUID: " + id);
            }
            devices.find(deviceId).filter(d -> access.canRead(d.organizationId())).ifPresent(d -> readable.add(d.id()));
        }
        if (readable.isEmpty()) {
            return new LatestList(List.of());
        }
        Map<UUID, Double[]> iperf3 = new HashMap<>();
        Map<UUID, Instant> iperf3Time = new HashMap<>();
        last("iperf3", IPERF3_FIELDS, readable, (id, row) -> {
            iperf3.put(id, row.values());
            iperf3Time.put(id, row.time());
        });
        Map<UUID, Double[]> ping = new HashMap<>();
        Map<UUID, Instant> pingTime = new HashMap<>();
        last("ping", PING_FIELDS, readable, (id, row) -> {
            ping.put(id, row.values());
            pingTime.put(id, row.time());
        });
        List<Latest> items = new ArrayList<>();
        for (UUID id : readable) {
            Double[] i = iperf3.get(id);
            Double[] p = ping.get(id);
            if (i == null && p == null) {
                continue;
            }
            items.add(new Latest(id, i == null ? null : i[0], i == null ? null : i[1], i == null ? null : i[2],
                    iperf3Time.get(id), p == null ? null : p[0], p == null ? null : p[1], pingTime.get(id)));
        }
        return new LatestList(items);
    }

    @GET
    @Path("slowest")
    @Operation(summary = "The devices with the lowest median TCP received bandwidth over the last 7 days",
            description = "one InfluxQL MEDIAN grouped by device; optional organization_id; limit 1-100 (default 10)")
    @APIResponse(responseCode = "200", description = "items, slowest first")
    @APIResponse(responseCode = "400", description = "limit out of 1-100, or organization_id not a UUID")
    public SlowestList slowest(@QueryParam("organization_id") UUID org,
            @QueryParam("limit") Integer limit, @Context UriInfo uri) {
        int n = limit == null ? 10 : limit;
        if (n < 1 || n > 100) {
            throw ProblemException.validation("limit", "must be between 1 and 100");
        }
        if (org != null && !access.canRead(org)) {
            return new SlowestList(List.of());
        }
        String q = "SELECT MEDIAN(" + ident("received_bps_tcp") + ") AS m FROM " + measurement("iperf3")
                + " WHERE time > now() - 7d"
                + (org == null ? "" : " AND " + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(org.toString()))
                + " GROUP BY " + ident(Measurements.TAG_DEVICE);
        List<Slowest> all = new ArrayList<>();
        for (var result : influxQl.query(q).getResults()) {
            for (var series : result.getSeries()) {
                UUID id = deviceOf(series);
                if (id == null || series.getValues().isEmpty()) {
                    continue;
                }
                Double median = ChartService.number(series.getValues().get(0).getValueByKey("m"));
                if (median == null) {
                    continue;
                }
                devices.find(id).filter(d -> access.canRead(d.organizationId()))
                        .ifPresent(d -> all.add(new Slowest(d.id(), d.name(), d.organizationId(), median)));
            }
        }
        return new SlowestList(all.stream().sorted(Comparator.comparingDouble(Slowest::medianReceivedBpsTcp)
                .thenComparing(s -> s.deviceId().toString())).limit(n).collect(Collectors.toList()));
    }

    private record Row(Double[] values, Instant time) {
    }

    /** The last point of each device (one query, grouped by device), with its own time. */
    private void last(String measurement, List<String> fields, Set<UUID> ids, BiConsumer<UUID, Row> out) {
        String select = fields.stream().map(InfluxQl::ident).collect(Collectors.joining(", "));
        String where = ids.stream().map(id -> ident(Measurements.TAG_DEVICE) + " = " + literal(id.toString()))
                .collect(Collectors.joining(" OR "));
        String q = "SELECT " + select + " FROM " + measurement(measurement) + " WHERE (" + where + ")"
                + " GROUP BY " + ident(Measurements.TAG_DEVICE) + " ORDER BY time DESC LIMIT 1";
        for (var result : influxQl.query(q).getResults()) {
            for (var series : result.getSeries()) {
                UUID id = deviceOf(series);
                if (id == null || series.getValues().isEmpty()) {
                    continue;
                }
                InfluxQLQueryResult.Series.Record record = series.getValues().get(0);
                Double[] values = new Double[fields.size()];
                for (int i = 0; i < fields.size(); i++) {
                    values[i] = ChartService.number(record.getValueByKey(fields.get(i)));
                }
                Object time = record.getValueByKey("time");
                out.accept(id, new Row(values, time == null ? null
                        : Instant.ofEpochMilli(Long.parseLong(String.valueOf(time)))));
            }
        }
    }

    private String measurement(String name) {
        return ident(config.database()) + "." + ident(config.retentionPolicy()) + "." + ident(name);
    }

    private static UUID deviceOf(InfluxQLQueryResult.Series series) {
        String tag = series.getTags() == null ? null : series.getTags().get(Measurements.TAG_DEVICE);
        try {
            return tag == null ? null : UUID.fromString(tag);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
