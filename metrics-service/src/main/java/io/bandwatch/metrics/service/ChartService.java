package io.bandwatch.metrics.service;

import static io.bandwatch.metrics.influx.InfluxQl.ident;
import static io.bandwatch.metrics.influx.InfluxQl.literal;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.CheckType;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.influx.InfluxQl;
import io.bandwatch.metrics.influx.InfluxSchema;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
            String aggregation,
            @Schema(description = "interval starts in the time zone, ISO-8601 with offset (2026-03-01T00:00:00+01:00)")
            List<String> x,
            List<TraceData> traces) {
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

    /**
     * The charts and where the time of making them went, as an HTTP {@code Server-Timing} value: {@code influx} the
     * InfluxDB round trip (its work and the transfer of the answer, statements and bytes in {@code desc}),
     * {@code parse} the answer read (MessagePack or JSON), {@code charts} the values and summaries built from it
     * (milliseconds).
     */
    public record Timed(Charts charts, String serverTiming) {
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
     * Every chart of the device (or only {@code onlyChart}) with one InfluxDB request: the device's check tags (which
     * check types it has) and, per check type, the InfluxQL of its charts (one statement for the raw points and, for
     * a range beyond the raw retention, those of the rollup: for the daily rollup its points, aggregated here in the
     * intervals {@link InfluxWindows} computes, or asked for with one more statement where it cannot; with computed
     * intervals the raw points of the last days as rows too) go as one multi-statement query.
     */
    public Timed charts(DeviceDirectory.Device device, TimeRange range, String onlyChart) {
        Instant now = Instant.now();
        Rollup rollup = rollup(range, now);
        Instant cutoff = rollup == null ? null : cutoff(rollup, range, now);
        // the daily rollup's intervals, computed here when they are provably InfluxDB's, else asked for per type
        List<Long> windows = rollup == Rollup.DAILY
                ? InfluxWindows.starts(range.start(), range.end(), range.step(), range.zone()).orElse(null) : null;
        // with those intervals and a cutoff of at most two days, the raw points too are read as rows and aggregated
        // here: InfluxDB took 3-4 ms to aggregate iperf3's 12 fields over two days, 1 ms to give the rows
        boolean rawAsRows = windows != null
                && range.step().compareTo(Duration.ofDays(InfluxSchema.DAILY_RESAMPLE_DAYS)) <= 0;
        List<String> statements = new ArrayList<>();
        statements.add(typesStatement(device, rollup));
        Map<CheckType, List<ChartDefinition>> defsByType = new EnumMap<>(CheckType.class);
        for (CheckType type : CheckType.values()) {
            List<ChartDefinition> defs = ChartDefinition.ALL.stream().filter(c -> c.type() == type)
                    .filter(c -> onlyChart == null || c.id().equals(onlyChart)).toList();
            if (!defs.isEmpty()) {
                defsByType.put(type, defs);
                if (rollup == null) {
                    statements.add(select(device, range, type, defs, null, range.start()));
                } else {
                    if (rollup == Rollup.DAILY) {
                        if (windows == null) {
                            statements.add(intervals(device, range, type));
                        }
                        statements.add(rollupRows(device, range, type, defs));
                    } else {
                        statements.add(select(device, range, type, defs, rollup, range.start()));
                    }
                    statements.add(!cutoff.isBefore(range.end())
                            ? "SELECT * FROM " + measurement(type, null) + " WHERE time < 0"
                            : rawAsRows ? rowsOf(device, range, type, defs, null, cutoff)
                            : select(device, range, type, defs, null, cutoff));
                }
            }
        }
        InfluxQl.Answers answers = influxQl.queryAll(statements);
        long built = System.nanoTime();
        List<JsonNode> results = answers.results();
        Set<CheckType> types = checkTypes(results.get(0));
        List<Chart> charts = new ArrayList<>();
        int next = 1;
        for (Map.Entry<CheckType, List<ChartDefinition>> entry : defsByType.entrySet()) {
            Rows rows;
            if (rollup == null) {
                rows = rows(results.get(next++));
            } else {
                Rows older;
                if (rollup == Rollup.DAILY) {
                    List<Long> intervals = windows == null ? rows(results.get(next++)).times() : null;
                    Rows points = rows(results.get(next++));
                    if (intervals == null) {
                        // as InfluxDB's count(): no intervals for a device without rollup points in the range
                        intervals = points.times().isEmpty() ? List.of() : windows;
                    }
                    older = perInterval(intervals, points, entry.getValue());
                } else {
                    older = rows(results.get(next++));
                }
                Rows raw = rows(results.get(next++));
                if (rawAsRows) {
                    // the intervals from the one holding the cutoff, as InfluxDB's GROUP BY would give them
                    int from = Math.max(0, interval(windows, cutoff.toEpochMilli()));
                    raw = perInterval(raw.times().isEmpty() ? List.of() : windows.subList(from, windows.size()), raw,
                            entry.getValue());
                }
                rows = union(older, raw, cutoff);
            }
            if (types.contains(entry.getKey()) || onlyChart != null) {
                charts.addAll(charts(range, entry.getValue(), rows));
            }
        }
        Charts answer = new Charts(device.id(), device.name(), range.start(), range.end(), range.zone().getId(),
                range.influxStep(), charts);
        return new Timed(answer, String.format(Locale.ROOT,
                "influx;dur=%.2f;desc=\"%d statements, %d bytes\", parse;dur=%.2f, charts;dur=%.2f",
                answers.roundTripNanos() / 1e6, statements.size(), answers.bytes(), answers.parseNanos() / 1e6,
                (System.nanoTime() - built) / 1e6));
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

    /**
     * Where the raw points of a long range start: for the daily rollups the days the daily continuous queries may
     * still compute again ({@link InfluxSchema#DAILY_RESAMPLE_DAYS}, or one step when a step is longer), never before
     * the raw retention; for the hourly means the raw retention. Reading the raw points of only those days instead of
     * the whole raw retention keeps a year's chart to a few hundred rows whatever the check's rate (a ping every 5
     * minutes is 8640 raw points a month).
     */
    Instant cutoff(Rollup rollup, TimeRange range, Instant now) {
        Instant retained = now.minus(retention(config.rawRetention()));
        if (rollup == Rollup.HOURLY) {
            return retained;
        }
        Duration settled = Duration.ofDays(InfluxSchema.DAILY_RESAMPLE_DAYS);
        Instant recent = now.minus(range.step().compareTo(settled) > 0 ? range.step() : settled);
        return recent.isAfter(retained) ? recent : retained;
    }

    /**
     * The check types of the device: {@code SHOW TAG VALUES} of its checks per measurement (in the raw policy, and in
     * the rollup's when it is read). On InfluxDB 1.x it answers from the tag index in about a millisecond among 10 000
     * devices, where {@code SHOW SERIES} with the same condition took tens of milliseconds (issue 14: the
     * ChartsBench figures in the README).
     */
    private String typesStatement(DeviceDirectory.Device device, Rollup rollup) {
        StringBuilder from = new StringBuilder();
        for (CheckType type : CheckType.values()) {
            from.append(from.isEmpty() ? "" : ", ").append(measurement(type, null));
            if (rollup != null) {
                from.append(", ").append(measurement(type, rollup));
            }
        }
        return "SHOW TAG VALUES ON " + ident(config.database()) + " FROM " + from + " WITH KEY = "
                + ident(Measurements.TAG_CHECK) + " WHERE " + deviceCondition(device);
    }

    private String deviceCondition(DeviceDirectory.Device device) {
        return ident(Measurements.TAG_DEVICE) + " = " + literal(device.id().toString()) + " AND "
                + ident(Measurements.TAG_ORGANIZATION) + " = " + literal(device.organizationId().toString());
    }

    private static Set<CheckType> checkTypes(JsonNode tagValues) {
        Set<CheckType> types = EnumSet.noneOf(CheckType.class);
        for (JsonNode s : tagValues.path("series")) {
            String measurement = s.path("name").asText();
            for (CheckType type : CheckType.values()) {
                if (measurement.equals(Measurements.of(type)) && !s.path("values").isEmpty()) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    /** The field every point of a check type has (failed runs too): it tells which intervals have points. */
    private static final Map<CheckType, String> ALWAYS_WRITTEN = Map.of(CheckType.IPERF3, "iperf3_result",
            CheckType.PING, "reachable");

    /**
     * The intervals of the daily rollup of the range as InfluxDB makes them ({@code GROUP BY time(step) tz(...)},
     * so that they are the same as those of the raw points), from one field only: InfluxDB 1.x takes about a
     * millisecond per aggregated field over a year's intervals, the rows themselves cost less than one.
     */
    private String intervals(DeviceDirectory.Device device, TimeRange range, CheckType type) {
        String field = "mean_mean_" + ALWAYS_WRITTEN.get(type);
        return "SELECT count(" + ident(field) + ") FROM " + measurement(type, Rollup.DAILY) + " WHERE "
                + deviceCondition(device) + " AND time >= " + literal(range.start().toString()) + " AND time < "
                + literal(range.end().toString()) + " GROUP BY time(" + range.influxStep() + ") fill(null) tz("
                + literal(range.zone().getId()) + ")";
    }

    /** The daily rollup points of the range as they are (one per series and UTC day), aggregated by {@link #perInterval}. */
    private String rollupRows(DeviceDirectory.Device device, TimeRange range, CheckType type,
            List<ChartDefinition> defs) {
        return rowsOf(device, range, type, defs, Rollup.DAILY, range.start());
    }

    /** The points of a policy from {@code from} to the range's end as they are, aggregated by {@link #perInterval}. */
    private String rowsOf(DeviceDirectory.Device device, TimeRange range, CheckType type, List<ChartDefinition> defs,
            Rollup rollup, Instant from) {
        StringBuilder select = new StringBuilder();
        for (ChartDefinition def : defs) {
            for (ChartDefinition.Trace trace : def.traces()) {
                select.append(select.isEmpty() ? "" : ", ").append(ident(sourceField(def, trace, rollup)))
                        .append(" AS ").append(ident(def.column(trace)));
            }
        }
        return "SELECT " + select + " FROM " + measurement(type, rollup) + " WHERE " + deviceCondition(device)
                + " AND time >= " + literal(from.toString()) + " AND time < " + literal(range.end().toString());
    }

    /**
     * The rollup points aggregated per interval as InfluxDB's {@code mean()} / {@code sum()} with {@code GROUP BY time}
     * would (a point belongs to the last interval that starts at or before it; nulls are left out; an interval
     * without values is null).
     */
    static Rows perInterval(List<Long> intervals, Rows points, List<ChartDefinition> defs) {
        Map<String, List<Double>> columns = new HashMap<>();
        int n = intervals.size();
        // each point's interval, found once for all its columns
        int[] at = new int[points.times().size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = interval(intervals, points.times().get(i));
        }
        for (ChartDefinition def : defs) {
            boolean sum = ChartDefinition.SUM.equals(def.aggregation());
            for (ChartDefinition.Trace trace : def.traces()) {
                String column = def.column(trace);
                List<Double> values = points.columns().get(column);
                double[] total = new double[n];
                int[] count = new int[n];
                for (int i = 0; values != null && i < at.length; i++) {
                    Double v = values.get(i);
                    if (v != null && at[i] >= 0) {
                        total[at[i]] += v;
                        count[at[i]]++;
                    }
                }
                List<Double> perInterval = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    perInterval.add(count[i] == 0 ? null : sum ? total[i] : total[i] / count[i]);
                }
                columns.put(column, perInterval);
            }
        }
        return new Rows(intervals, columns);
    }

    /** Index of the last interval starting at or before {@code time}, or -1. */
    private static int interval(List<Long> starts, long time) {
        int low = 0;
        int high = starts.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts.get(mid) <= time) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
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
    record Rows(List<Long> times, Map<String, List<Double>> columns) {
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
        return "SELECT " + select + " FROM " + measurement(type, rollup) + " WHERE " + deviceCondition(device)
                + " AND time >= " + literal(from.toString()) + " AND time < " + literal(range.end().toString())
                + " GROUP BY time(" + range.influxStep() + ") fill(null) tz(" + literal(range.zone().getId()) + ")";
    }

    private static Rows rows(JsonNode result) {
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> columns = new HashMap<>();
        for (JsonNode series : result.path("series")) {
            JsonNode names = series.path("columns");
            // each column's list looked up once per series, not once per value
            List<List<Double>> lists = new ArrayList<>(names.size());
            lists.add(null);
            for (int c = 1; c < names.size(); c++) {
                lists.add(columns.computeIfAbsent(names.path(c).asText(), k -> new ArrayList<>()));
            }
            for (JsonNode row : series.path("values")) {
                times.add(row.path(0).asLong());
                for (int c = 1; c < lists.size(); c++) {
                    JsonNode value = row.path(c);
                    lists.get(c).add(value.isNumber() ? value.asDouble() : null);
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
        // formatted once for every chart of the check type (the JSON and the CSV write the same text)
        List<String> x = new ArrayList<>(rows.times().size());
        for (long ms : rows.times()) {
            x.add(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(ms).atZone(range.zone())
                    .toOffsetDateTime()));
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
