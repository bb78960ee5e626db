package io.bandwatch.metrics.service;

import static io.bandwatch.metrics.influx.InfluxQl.ident;
import static io.bandwatch.metrics.influx.InfluxQl.literal;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.CheckType;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.influx.InfluxQl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the charts of a device with InfluxQL (all of a request's statements in one multi-statement query) and shapes
 * them for the API.
 */
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

    /** Where the older part of a long range is read from (the raw points serve the rest). */
    enum Rollup {
        /** the hourly means of the continuous queries: {@code mean_<field>} */
        HOURLY,
        /** the daily mean and sum of the hourly means: {@code mean_mean_<field>}, {@code sum_mean_<field>} */
        DAILY
    }

    /**
     * Every chart of the device (or only {@code onlyChart}) with one InfluxDB request: the device's series (which
     * check types it has) and, per check type, the InfluxQL of its charts (one statement for the raw points and, for
     * a range beyond the raw retention, one for the rollup) go as one multi-statement query.
     */
    public Charts charts(DeviceDirectory.Device device, TimeRange range, String onlyChart) {
        Instant now = Instant.now();
        Rollup rollup = rollup(range, now);
        Instant cutoff = rollup == null ? null : now.minus(retention(config.rawRetention()));
        List<String> statements = new ArrayList<>();
        statements.add(seriesStatement(device, rollup));
        Map<CheckType, List<ChartDefinition>> defsByType = new EnumMap<>(CheckType.class);
        for (CheckType type : CheckType.values()) {
            List<ChartDefinition> defs = ChartDefinition.ALL.stream().filter(c -> c.type() == type)
                    .filter(c -> onlyChart == null || c.id().equals(onlyChart)).toList();
            if (!defs.isEmpty()) {
                defsByType.put(type, defs);
                if (rollup == null) {
                    statements.add(select(device, range, type, defs, null, range.start()));
                } else {
                    statements.add(select(device, range, type, defs, rollup, range.start()));
                    statements.add(cutoff.isBefore(range.end()) ? select(device, range, type, defs, null, cutoff)
                            : "SELECT * FROM " + measurement(type, null) + " WHERE time < 0");
                }
            }
        }
        List<JsonNode> results = influxQl.queryAll(statements);
        Set<CheckType> types = checkTypes(results.get(0));
        List<Chart> charts = new ArrayList<>();
        int next = 1;
        for (Map.Entry<CheckType, List<ChartDefinition>> entry : defsByType.entrySet()) {
            Rows rows;
            if (rollup == null) {
                rows = rows(results.get(next++));
            } else {
                Rows older = rows(results.get(next++));
                Rows raw = rows(results.get(next++));
                rows = union(older, raw, cutoff);
            }
            if (types.contains(entry.getKey()) || onlyChart != null) {
                charts.addAll(charts(range, entry.getValue(), rows));
            }
        }
        return new Charts(device.id(), device.name(), range.start(), range.end(), range.zone().getId(),
                range.influxStep(), charts);
    }

    /**
     * Where a range's older part is read from, or null when it is read from raw points only: a range that starts
     * more than the raw retention plus {@link #RAW_GRACE} before now (raw points may already be gone for part of it)
     * reads its older intervals from the daily rollups when its step is a whole number of days (365d, long custom
     * ranges: 365 points of a day for a year, as OpenWISP Monitoring draws it), else from the hourly means. Such a
     * range is a union by interval: rollups before the first interval that starts inside the raw retention, raw
     * points from it on (no interval mixes the two). A raw retention of {@code INF} (or one that is not a plain
     * duration) never switches.
     */
    Rollup rollup(TimeRange range, Instant now) {
        Duration raw = retention(config.rawRetention());
        if (raw == null || !range.start().isBefore(now.minus(raw).minus(RAW_GRACE))) {
            return null;
        }
        Duration day = Duration.ofDays(1);
        return range.step().compareTo(day) >= 0 && range.step().toMillis() % day.toMillis() == 0 ? Rollup.DAILY
                : Rollup.HOURLY;
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

    /** The device's series (in the raw policy, and in the rollup's when it is read): which check types it has. */
    private String seriesStatement(DeviceDirectory.Device device, Rollup rollup) {
        StringBuilder from = new StringBuilder();
        for (CheckType type : CheckType.values()) {
            from.append(from.isEmpty() ? "" : ", ").append(measurement(type, null));
            if (rollup != null) {
                from.append(", ").append(measurement(type, rollup));
            }
        }
        return "SHOW SERIES ON " + ident(config.database()) + " FROM " + from + " WHERE "
                + ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString()) + " AND "
                + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString());
    }

    private static Set<CheckType> checkTypes(JsonNode series) {
        Set<CheckType> types = EnumSet.noneOf(CheckType.class);
        for (JsonNode s : series.path("series")) {
            for (JsonNode row : s.path("values")) {
                String key = row.path(0).asText();
                for (CheckType type : CheckType.values()) {
                    if (key.startsWith(Measurements.of(type) + ",")) {
                        types.add(type);
                    }
                }
            }
        }
        return types;
    }

    private String measurement(CheckType type, Rollup rollup) {
        String policy = rollup == null ? config.retentionPolicy()
                : rollup == Rollup.HOURLY ? config.downsampledRetentionPolicy() : config.dailyRetentionPolicy();
        return ident(config.database()) + "." + ident(policy) + "." + ident(Measurements.of(type));
    }

    /**
     * The field a trace is read from: the raw field; in the hourly policy the continuous query's column
     * ({@code SELECT mean(*)} writes {@code mean_<field>}); in the daily policy the daily mean or, for a sum chart,
     * the daily sum of the hourly means ({@code SELECT mean(*), sum(*)}: {@code mean_mean_<field>},
     * {@code sum_mean_<field>}).
     */
    static String sourceField(ChartDefinition def, ChartDefinition.Trace trace, Rollup rollup) {
        if (rollup == null) {
            return trace.field();
        }
        String hourly = "mean_" + trace.field();
        return rollup == Rollup.HOURLY ? hourly : def.aggregation() + "_" + hourly;
    }

    /** The rows of one InfluxQL answer: interval starts (epoch ms) and, per column, a value per interval. */
    private record Rows(List<Long> times, Map<String, List<Double>> columns) {
    }

    private String select(DeviceDirectory.Device device, TimeRange range, CheckType type, List<ChartDefinition> defs,
            Rollup rollup, Instant from) {
        StringBuilder select = new StringBuilder();
        for (ChartDefinition def : defs) {
            for (ChartDefinition.Trace trace : def.traces()) {
                select.append(select.isEmpty() ? "" : ", ").append(def.aggregation()).append('(')
                        .append(ident(sourceField(def, trace, rollup))).append(") AS ")
                        .append(ident(def.column(trace)));
            }
        }
        return "SELECT " + select + " FROM " + measurement(type, rollup)
                + " WHERE " + ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString())
                + " AND " + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString())
                + " AND time >= " + literal(from.toString()) + " AND time < " + literal(range.end().toString())
                + " GROUP BY time(" + range.influxStep() + ") fill(null) tz(" + literal(range.zone().getId()) + ")";
    }

    private static Rows rows(JsonNode result) {
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> columns = new HashMap<>();
        for (JsonNode series : result.path("series")) {
            JsonNode names = series.path("columns");
            for (JsonNode row : series.path("values")) {
                times.add(row.path(0).asLong());
                for (int c = 1; c < names.size(); c++) {
                    JsonNode value = row.path(c);
                    columns.computeIfAbsent(names.path(c).asText(), k -> new ArrayList<>())
                            .add(value.isNumber() ? value.asDouble() : null);
                }
            }
        }
        return new Rows(times, columns);
    }

    /** Rollup intervals up to the first raw interval that starts inside the raw retention, raw intervals from it. */
    private static Rows union(Rows older, Rows raw, Instant cutoff) {
        // the first raw interval may start before the cutoff (partly purged): start at the next one then
        Long boundary = null;
        for (int i = 0; i < raw.times().size() && boundary == null; i++) {
            if (i > 0 || raw.times().get(i) >= cutoff.toEpochMilli()) {
                boundary = raw.times().get(i);
            }
        }
        return boundary == null ? older : merge(older, raw, boundary);
    }

    private static List<Chart> charts(TimeRange range, List<ChartDefinition> defs, Rows rows) {
        List<OffsetDateTime> x = new ArrayList<>(rows.times().size());
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
