package io.bandwatch.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Where results are written and read. The same settings serve InfluxDB 1.8 (database + retention policy;
 * the bucket is {@code database/retention-policy}), 2.x (a DBRP mapping from that pair to a bucket, and a
 * token) and 3.x.
 */
@ConfigMapping(prefix = "bandwatch.influx")
public interface InfluxConfig {

    /** Base URL of the InfluxDB HTTP API, e.g. {@code http://influxdb:8086}. */
    String url();

    /** Organization (ignored by InfluxDB 1.x). */
    @WithDefault("bandwatch")
    String org();

    /** Database (1.x) or the database of the DBRP mapping (2.x). */
    @WithDefault("bandwatch")
    String database();

    /** Retention policy of raw points (created at start when missing, as the database's default). */
    @WithDefault("raw")
    String retentionPolicy();

    /** The v2 bucket; default {@code database/retention-policy} (the 1.x compatibility form). */
    Optional<String> bucket();

    /** API token (2.x/3.x); unset for an InfluxDB 1.x without authentication. Never logged. */
    Optional<String> token();

    /** Timeout of each HTTP call to InfluxDB. */
    @WithDefault("10s")
    Duration timeout();

    /** How long raw points are kept (duration of the raw retention policy), InfluxQL duration syntax. */
    @WithDefault("30d")
    String rawRetention();

    /** Retention policy of the hourly means written by the continuous queries. */
    @WithDefault("hourly")
    String downsampledRetentionPolicy();

    /** How long hourly means are kept. */
    @WithDefault("730d")
    String downsampledRetention();

    /**
     * Retention policy of the daily rollups: continuous queries write, from the hourly means, the daily mean
     * ({@code mean_mean_<field>}) and the daily sum ({@code sum_mean_<field>}) of every field. Charts with steps of
     * whole days (365d, long custom ranges) read their older part from here.
     */
    @WithDefault("daily")
    String dailyRetentionPolicy();

    /** How long daily rollups are kept (the longest custom range is 10 years). */
    @WithDefault("3660d")
    String dailyRetention();

    /** Create database, retention policies and continuous queries at start when missing (needs admin rights on 1.x). */
    @WithDefault("true")
    boolean createSchema();

    /** Pause between attempts while InfluxDB cannot take a batch (the consumer waits, never drops). */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest pause between attempts. */
    @WithDefault("10s")
    Duration retryMaxBackoff();

    /** The bucket written to. */
    default String writeBucket() {
        return bucket().orElse(database() + "/" + retentionPolicy());
    }
}
