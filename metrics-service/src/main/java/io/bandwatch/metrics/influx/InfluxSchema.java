package io.bandwatch.metrics.influx;

import static io.bandwatch.metrics.influx.InfluxQl.duration;
import static io.bandwatch.metrics.influx.InfluxQl.ident;

import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.service.Measurements;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Creates, when missing, the database, the raw retention policy (default of the database, kept
 * {@code raw-retention}), the downsampled policy (kept {@code downsampled-retention}) and one continuous
 * query per measurement that writes hourly means of every field into it ({@code mean_<field>}), and the daily
 * policy (kept {@code daily-retention}) with one continuous query per measurement that writes the daily mean and sum
 * of the hourly means into it ({@code mean_mean_<field>}, {@code sum_mean_<field>}; filled once from the hourly
 * means when it is created). Existing
 * objects are left as they are (an operator may have tuned them). InfluxDB may not be up when the service starts:
 * the set-up is retried in the background (pauses {@code retry-backoff} doubling up to {@code retry-max-backoff})
 * until it succeeds, and readiness ({@link InfluxHealthCheck}) is DOWN until then.
 */
@ApplicationScoped
public class InfluxSchema {

    /**
     * How many days back the daily continuous queries compute again every hour ({@code RESAMPLE EVERY 1h FOR 2d}):
     * a day's rollup is final once it ended this long ago (the charts read the younger days from raw points).
     */
    public static final int DAILY_RESAMPLE_DAYS = 2;

    private static final Logger LOG = Logger.getLogger(InfluxSchema.class);

    private final InfluxQl influxQl;
    private final InfluxConfig config;
    private volatile boolean ready;
    private volatile String lastError = "not attempted yet";
    private volatile int attempts;
    private ScheduledExecutorService retries;

    InfluxSchema(InfluxQl influxQl, InfluxConfig config) {
        this.influxQl = influxQl;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.createSchema()) {
            ready = true;
            return;
        }
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "influx-schema");
            t.setDaemon(true);
            return t;
        });
        // the first attempt before the service is up (as before: with InfluxDB there, the schema exists when
        // the first result is consumed); the next ones in the background
        attempt(config.retryBackoff().toMillis());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    /** One attempt; on failure the next one after {@code pauseMs} (doubling up to {@code retry-max-backoff}). */
    private void attempt(long pauseMs) {
        try {
            ensure();
            ready = true;
            lastError = null;
            if (attempts > 0) {
                LOG.infof("InfluxDB schema set up after %d failed attempts", attempts);
            }
            retries.shutdown();
        } catch (RuntimeException e) {
            attempts++;
            lastError = e.getMessage();
            if (attempts == 1 || attempts % 10 == 0) {
                LOG.warnf("could not set up the InfluxDB schema (attempt %d): %s; readiness stays DOWN, retrying",
                        attempts, e.getMessage());
            }
            long next = Math.min(pauseMs * 2, config.retryMaxBackoff().toMillis());
            try {
                retries.schedule(() -> attempt(next), pauseMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // shutting down
            }
        }
    }

    /**
     * Whether the database, policies and continuous queries are there (set up by this instance, or not this
     * service's job: {@code create-schema=false}). Readiness is DOWN until they are.
     */
    public boolean ready() {
        return ready;
    }

    /** Why the last attempt failed; null once set up. */
    public String lastError() {
        return lastError;
    }

    /** Idempotent. */
    public void ensure() {
        String db = ident(config.database());
        influxQl.query("CREATE DATABASE " + db);
        Set<String> policies = names(influxQl.query("SHOW RETENTION POLICIES ON " + db));
        if (!policies.contains(config.retentionPolicy())) {
            influxQl.query("CREATE RETENTION POLICY " + ident(config.retentionPolicy()) + " ON " + db + " DURATION "
                    + duration(config.rawRetention(), "bandwatch.influx.raw-retention") + " REPLICATION 1 DEFAULT");
            LOG.infof("created retention policy %s on %s (%s)", config.retentionPolicy(), config.database(),
                    config.rawRetention());
        }
        if (!policies.contains(config.downsampledRetentionPolicy())) {
            influxQl.query("CREATE RETENTION POLICY " + ident(config.downsampledRetentionPolicy()) + " ON " + db
                    + " DURATION " + duration(config.downsampledRetention(), "bandwatch.influx.downsampled-retention")
                    + " REPLICATION 1");
            LOG.infof("created retention policy %s on %s (%s)", config.downsampledRetentionPolicy(),
                    config.database(), config.downsampledRetention());
        }
        if (!policies.contains(config.dailyRetentionPolicy())) {
            influxQl.query("CREATE RETENTION POLICY " + ident(config.dailyRetentionPolicy()) + " ON " + db
                    + " DURATION " + duration(config.dailyRetention(), "bandwatch.influx.daily-retention")
                    // a year's chart then opens 1 or 2 shards instead of 53 (InfluxDB's default for long policies
                    // is 7 days): measured here, 3 ms instead of 7 ms of query work per statement
                    + " REPLICATION 1 SHARD DURATION 52w");
            LOG.infof("created retention policy %s on %s (%s)", config.dailyRetentionPolicy(), config.database(),
                    config.dailyRetention());
        }
        Set<String> queries = continuousQueries(influxQl.query("SHOW CONTINUOUS QUERIES"));
        for (String measurement : Measurements.ALL) {
            String name = measurement + "_hourly";
            if (!queries.contains(name)) {
                influxQl.query("CREATE CONTINUOUS QUERY " + ident(name) + " ON " + db + " BEGIN SELECT mean(*) INTO "
                        + db + "." + ident(config.downsampledRetentionPolicy()) + "." + ident(measurement) + " FROM "
                        + db + "." + ident(config.retentionPolicy()) + "." + ident(measurement)
                        + " GROUP BY time(1h), * END");
                LOG.infof("created continuous query %s", name);
            }
            String daily = measurement + "_daily";
            if (!queries.contains(daily)) {
                String select = "SELECT mean(*), sum(*) INTO " + db + "." + ident(config.dailyRetentionPolicy()) + "."
                        + ident(measurement) + " FROM " + db + "." + ident(config.downsampledRetentionPolicy()) + "."
                        + ident(measurement);
                // every hour, today and yesterday again: the hourly means of the day's last hour arrive after midnight
                influxQl.query("CREATE CONTINUOUS QUERY " + ident(daily) + " ON " + db + " RESAMPLE EVERY 1h FOR "
                        + DAILY_RESAMPLE_DAYS + "d"
                        + " BEGIN " + select + " GROUP BY time(1d), * END");
                LOG.infof("created continuous query %s", daily);
                // the days before it existed, once (a continuous query never looks back further than its FOR)
                String backfill = select + " WHERE time >= now() - "
                        + duration(config.downsampledRetention(), "bandwatch.influx.downsampled-retention")
                        + " GROUP BY time(1d), *";
                try {
                    influxQl.query(backfill);
                } catch (RuntimeException e) {
                    LOG.warnf("could not fill %s with the days before it existed (%s); run it by hand: %s", daily,
                            e.getMessage(), backfill);
                }
            }
        }
    }

    private static Set<String> names(InfluxQLQueryResult result) {
        Set<String> names = new HashSet<>();
        for (var r : result.getResults()) {
            for (var series : r.getSeries()) {
                Integer column = series.getColumns().get("name");
                for (var record : series.getValues()) {
                    names.add(String.valueOf(record.getValues()[column]));
                }
            }
        }
        return names;
    }

    private Set<String> continuousQueries(InfluxQLQueryResult result) {
        Set<String> names = new HashSet<>();
        for (var r : result.getResults()) {
            for (var series : r.getSeries()) {
                if (!config.database().equals(series.getName())) {
                    continue;
                }
                Integer column = series.getColumns().get("name");
                for (var record : series.getValues()) {
                    names.add(String.valueOf(record.getValues()[column]));
                }
            }
        }
        return names;
    }
}
