package io.bandwatch.metrics.service;

import static io.bandwatch.metrics.influx.InfluxQl.ident;
import static io.bandwatch.metrics.influx.InfluxQl.literal;

import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.influx.InfluxQl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Instant now = Instant.now();
        boolean downsampled = usesDownsampled(range, now);
        Set<CheckType> types = checkTypes(device, downsampled);
        List<Chart> charts = new ArrayList<>();
        for (CheckType type : CheckType.values()) {
            List<ChartDefinition> defs = ChartDefinition.ALL.stream().filter(c -> c.type() == type)
                    .filter(c -> onlyChart == null || c.id().equals(onlyChart)).toList();
            if (defs.isEmpty() || (!types.contains(type) && onlyChart == null)) {
                continue;
            }
            charts.addAll(query(device, range, type, defs, now, downsampled));
        }
        return new Charts(device.id(), device.name(), range.start(), range.end(), range.zone().getId(),
                range.influxStep(), charts);
    }

    /**
     * Whether a range is read from the downsampled (hourly) policy rather than the raw one: when it starts more
     * than the raw retention plus {@link #RAW_GRACE} before now, i.e. when raw points may already be gone for part
     * of it. Such a range is a union by interval: hourly means before the first interval that starts inside the
     * raw retention, raw points from it on (no interval mixes the two). A raw retention of {@code INF} (or one that
     * is not a plain duration) never switches.
     */
    boolean usesDownsampled(TimeRange range, Instant now) {
        Duration raw = retention(config.rawRetention());
        return raw != null && range.start().isBefore(now.minus(raw).minus(RAW_GRACE));
    }

    /**
     * Tolerance over the raw retention: a fixed 30d range computed a moment before stays on raw points (InfluxDB
     * drops a raw shard group only once all of it is older than the retention, so raw points of at least the
     * retention are always there).
     */
    static final Duration RAW_GRACE = Duration.ofHours(1);

    private static final Pattern RETENTION = Pattern.compile("^([0-9]+)(ns|u|µ|ms|s|m|h|d|w)$");

    /** An InfluxQL duration literal as a Duration; null for INF or anything else. */
    static Duration retention(String value) {
        Matcher m = RETENTION.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "u", "µ" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** The check types the device has points of (in the raw retention, and in the hourly one when it is read). */
    Set<CheckType> checkTypes(DeviceDirectory.Device device, boolean downsampled) {
        Set<CheckType> types = EnumSet.noneOf(CheckType.class);
        StringBuilder from = new StringBuilder();
        for (CheckType type : CheckType.values()) {
            from.append(from.isEmpty() ? "" : ", ").append(measurement(type, false));
            if (downsampled) {
                from.append(", ").append(measurement(type, true));
            }
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

    private String measurement(CheckType type, boolean downsampled) {
        return ident(config.database()) + "."
                + ident(downsampled ? config.downsampledRetentionPolicy() : config.retentionPolicy()) + "."
                + ident(Measurements.of(type));
    }

    /**
     * The field a trace is read from: the raw field, or in the hourly policy the continuous query's column
     * ({@code SELECT mean(*)} writes {@code mean_<field>}).
     */
    static String sourceField(ChartDefinition.Trace trace, boolean downsampled) {
        return downsampled ? "mean_" + trace.field() : trace.field();
    }

    /** The rows of one InfluxQL answer: interval starts (epoch ms) and, per column, a value per interval. */
    private record Rows(List<Long> times, Map<String, List<Double>> columns) {
    }

    private List<Chart> query(DeviceDirectory.Device device, TimeRange range, CheckType type,
            List<ChartDefinition> defs, Instant now, boolean downsampled) {
        Rows rows;
        if (!downsampled) {
            rows = run(device, range, type, defs, false, range.start());
        } else {
            // Hourly means up to the first interval that starts inside the raw retention, raw points from there.
            Rows hourly = run(device, range, type, defs, true, range.start());
            Instant cutoff = now.minus(retention(config.rawRetention()));
            Rows raw = cutoff.isBefore(range.end()) ? run(device, range, type, defs, false, cutoff)
                    : new Rows(List.of(), Map.of());
            // the first raw interval may start before the cutoff (partly purged): start at the next one then
            Long boundary = null;
            for (int i = 0; i < raw.times().size() && boundary == null; i++) {
                if (i > 0 || raw.times().get(i) >= cutoff.toEpochMilli()) {
                    boundary = raw.times().get(i);
                }
            }
            rows = boundary == null ? hourly : merge(hourly, raw, boundary);
        }
        List<OffsetDateTime> x = new ArrayList<>();
        for (long ms : rows.times()) {
            x.add(Instant.ofEpochMilli(ms).atZone(range.zone()).toOffsetDateTime());
        }
        Map<String, List<Double>> columns = rows.columns();
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

    private Rows run(DeviceDirectory.Device device, TimeRange range, CheckType type, List<ChartDefinition> defs,
            boolean downsampled, Instant from) {
        StringBuilder select = new StringBuilder();
        for (ChartDefinition def : defs) {
            for (ChartDefinition.Trace trace : def.traces()) {
                select.append(select.isEmpty() ? "" : ", ").append(def.aggregation()).append('(')
                        .append(ident(sourceField(trace, downsampled))).append(") AS ")
                        .append(ident(def.column(trace)));
            }
        }
        String q = "SELECT " + select + " FROM " + measurement(type, downsampled)
                + " WHERE " + ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString())
                + " AND " + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString())
                + " AND time >= " + literal(from.toString()) + " AND time < " + literal(range.end().toString())
                + " GROUP BY time(" + range.influxStep() + ") fill(null) tz(" + literal(range.zone().getId()) + ")";
        InfluxQLQueryResult result = influxQl.query(q);
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> columns = new HashMap<>();
        for (var r : result.getResults()) {
            for (var series : r.getSeries()) {
                Map<String, Integer> index = series.getColumns();
                for (var record : series.getValues()) {
                    Object[] values = record.getValues();
                    times.add(Long.parseLong(String.valueOf(values[index.get("time")])));
                    for (Map.Entry<String, Integer> column : index.entrySet()) {
                        if (!column.getKey().equals("time")) {
                            columns.computeIfAbsent(column.getKey(), k -> new ArrayList<>())
                                    .add(number(values[column.getValue()]));
                        }
                    }
                }
            }
        }
        return new Rows(times, columns);
    }

    /** The intervals of {@code older} before {@code boundary}, then those of {@code newer} from it. */
    private static Rows merge(Rows older, Rows newer, long boundary) {
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> columns = new HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>(older.columns().keySet());
        names.addAll(newer.columns().keySet());
        for (String name : names) {
            columns.put(name, new ArrayList<>());
        }
        for (Rows rows : List.of(older, newer)) {
            for (int i = 0; i < rows.times().size(); i++) {
                long t = rows.times().get(i);
                if ((rows == older) == (t < boundary)) {
                    times.add(t);
                    for (String name : names) {
                        List<Double> values = rows.columns().get(name);
                        columns.get(name).add(values == null ? null : values.get(i));
                    }
                }
            }
        }
        return new Rows(times, columns);
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

    /** A number of an InfluxQL answer (CSV text or a number), or null when empty. */
    public static Double number(Object value) {
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
