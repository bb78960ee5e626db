package io.bandwatch.metrics.influx;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.domain.InfluxQLQuery;
import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.metrics.config.InfluxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * Every read and every schema statement goes through the client's InfluxQL API (POST /query, CSV), so the
 * same code runs on InfluxDB 1.8, 2.x (DBRP mapping) and 3.x. Identifiers and strings are quoted here.
 */
@ApplicationScoped
public class InfluxQl {

    private static final Pattern SAFE_DURATION = Pattern.compile("^[0-9]+(ns|u|µ|ms|s|m|h|d|w)$|^INF$");

    private final InfluxDBClient client;
    private final InfluxConfig config;

    InfluxQl(InfluxDBClient client, InfluxConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Runs one statement against the configured database, times in epoch milliseconds. */
    public InfluxQLQueryResult query(String command) {
        InfluxQLQuery query = new InfluxQLQuery(command, config.database())
                .setPrecision(InfluxQLQuery.InfluxQLPrecision.MILLISECONDS);
        return client.getInfluxQLQueryApi().query(query);
    }

    /** A double-quoted identifier. */
    public static String ident(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A single-quoted string literal. */
    public static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    /** A duration literal of the configuration, refused unless it is InfluxQL duration syntax. */
    public static String duration(String value, String key) {
        if (!SAFE_DURATION.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": not an InfluxQL duration (e.g. 30d, 52w, INF): " + value);
        }
        return value;
    }
}
