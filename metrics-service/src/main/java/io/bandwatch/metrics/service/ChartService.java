package io.bandwatch.metrics.service;

import static io.bandwatch.metrics.influx.InfluxQl.ident;
import static io.bandwatch.metrics.influx.InfluxQl.literal;

import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.influx.InfluxQl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads the charts of a device with InfluxQL (one query per check type) and shapes them for the API. */
@ApplicationScoped
public class ChartService {

    /** A chart with its x axis (interval starts) and traces. */
    public record Chart(String id, String title, String unit, boolean adaptivePrefix, boolean connectPoints,
            String aggregation, List<OffsetDateTime> x, List<TraceData> traces) {
    }

    /** One trace: a value per interval (null where the interval has no point) and its summary. */
    public record TraceData(String name, String field, List<Double> values, Summary summary) {
    }

    /** Min, mean and max of the trace's per-interval values over the range; null when it has none. */
    public record Summary(Double min, Double mean, Double max, int points) {
    }

    /** The answer for a device. */
    public record Charts(UUID deviceId, String deviceName, Instant start, Instant end, String timeZone,
            String interval, List<Chart> charts) {
    }

    private final InfluxQl influxQl;
    private final InfluxConfig config;

    ChartService(InfluxQl influxQl, InfluxConfig config) {
        this.influxQl = influxQl;
        this.config = config;
    }

    public Charts charts(DeviceDirectory.Device device, TimeRange range, String onlyChart) {
        Set<CheckType> types = checkTypes(device);
        List<Chart> charts = new ArrayList<>();
        for (CheckType type : CheckType.values()) {
            List<ChartDefinition> defs = ChartDefinition.ALL.stream().filter(c -> c.type() == type)
                    .filter(c -> onlyChart == null || c.id().equals(onlyChart)).toList();
            if (defs.isEmpty() || (!types.contains(type) && onlyChart == null)) {
                continue;
            }
            charts.addAll(query(device, range, type, defs));
        }
        return new Charts(device.id(), device.name(), range.start(), range.end(), range.zone().getId(),
                range.influxStep(), charts);
    }

    /** The check types the device has points of (at any time in the raw retention). */
    Set<CheckType> checkTypes(DeviceDirectory.Device device) {
        Set<CheckType> types = EnumSet.noneOf(CheckType.class);
        StringBuilder from = new StringBuilder();
        for (CheckType type : CheckType.values()) {
            from.append(from.isEmpty() ? "" : ", ").append(measurement(type));
        }
        InfluxQLQueryResult result = influxQl.query("SHOW SERIES ON " + ident(config.database()) + " FROM " + from
                + " WHERE " + ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString()) + " AND "
                + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString()));
        for (var r : result.getResults()) {
            for (var series : r.getSeries()) {
                Integer column = series.getColumns().get("key");
                for (var record : series.getValues()) {
                    String key = String.valueOf(record.getValues()[column]);
                    for (CheckType type : CheckType.values()) {
                        if (key.startsWith(Measurements.of(type) + ",")) {
                            types.add(type);
                        }
                    }
                }
            }
        }
        return types;
    }

    private String measurement(CheckType type) {
        return ident(config.database()) + "." + ident(config.retentionPolicy()) + "." + ident(Measurements.of(type));
    }

    private List<Chart> query(DeviceDirectory.Device device, TimeRange range, CheckType type,
            List<ChartDefinition> defs) {
        StringBuilder select = new StringBuilder();
        for (ChartDefinition def : defs) {
            for (ChartDefinition.Trace trace : def.traces()) {
                select.append(select.isEmpty() ? "" : ", ").append(def.aggregation()).append('(')
                        .append(ident(trace.field())).append(") AS ").append(ident(def.column(trace)));
            }
        }
        String q = "SELECT " + select + " FROM " + measurement(type)
                + " WHERE " + ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString())
                + " AND " + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString())
                + " AND time >= " + literal(range.start().toString()) + " AND time < " + literal(range.end().toString())
                + " GROUP BY time(" + range.influxStep() + ") fill(null) tz(" + literal(range.zone().getId()) + ")";
        InfluxQLQueryResult result = influxQl.query(q);
        List<OffsetDateTime> x = new ArrayList<>();
        Map<String, List<Double>> columns = new HashMap<>();
        for (var r : result.getResults()) {
            for (var series : r.getSeries()) {
                Map<String, Integer> index = series.getColumns();
                for (var record : series.getValues()) {
                    Object[] values = record.getValues();
                    long ms = Long.parseLong(String.valueOf(values[index.get("time")]));
                    x.add(Instant.ofEpochMilli(ms).atZone(range.zone()).toOffsetDateTime());
                    for (Map.Entry<String, Integer> column : index.entrySet()) {
                        if (!column.getKey().equals("time")) {
                            columns.computeIfAbsent(column.getKey(), k -> new ArrayList<>())
                                    .add(number(values[column.getValue()]));
                        }
                    }
                }
            }
        }
        List<Chart> charts = new ArrayList<>();
        for (ChartDefinition def : defs) {
            List<TraceData> traces = new ArrayList<>();
            for (ChartDefinition.Trace trace : def.traces()) {
                List<Double> raw = columns.getOrDefault(def.column(trace), nulls(x.size()));
                List<Double> values = new ArrayList<>(raw.size());
                for (Double v : raw) {
                    values.add(v == null ? null : v * trace.scale());
                }
                traces.add(new TraceData(trace.name(), trace.field(), values, summary(values)));
            }
            charts.add(new Chart(def.id(), def.title(), def.unit(), def.adaptivePrefix(), true, def.aggregation(), x,
                    traces));
        }
        return charts;
    }

    private static List<Double> nulls(int size) {
        List<Double> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(null);
        }
        return list;
    }

    static Summary summary(List<Double> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (Double v : values) {
            if (v != null) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                n++;
            }
        }
        return n == 0 ? new Summary(null, null, null, 0) : new Summary(min, sum / n, max, n);
    }

    private static Double number(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        String text = value.toString();
        return text.isEmpty() ? null : Double.valueOf(text);
    }
}
