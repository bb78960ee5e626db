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

    /** Retention policy of raw points. */
    @WithDefault("autogen")
    String retentionPolicy();

    /** API token (2.x/3.x); unset for an InfluxDB 1.x without authentication. Never logged. */
    Optional<String> token();

    /** Timeout of each HTTP call to InfluxDB. */
    @WithDefault("10s")
    Duration timeout();

    /** The v2 bucket name that maps to database and retention policy. */
    default String bucket() {
        return database() + "/" + retentionPolicy();
    }
}
