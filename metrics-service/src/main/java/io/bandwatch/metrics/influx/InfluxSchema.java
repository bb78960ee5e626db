package io.bandwatch.metrics.influx;

import static io.bandwatch.metrics.influx.InfluxQl.duration;
import static io.bandwatch.metrics.influx.InfluxQl.ident;

import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.metrics.config.InfluxConfig;
import io.bandwatch.metrics.service.Measurements;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Creates, when missing, the database, the raw retention policy (default of the database, kept
 * {@code raw-retention}), the downsampled policy (kept {@code downsampled-retention}) and one continuous
 * query per measurement that writes hourly means of every field into it ({@code mean_<field>}). Existing
 * objects are left as they are (an operator may have tuned them).
 */
@ApplicationScoped
public class InfluxSchema {

    private static final Logger LOG = Logger.getLogger(InfluxSchema.class);

    private final InfluxQl influxQl;
    private final InfluxConfig config;

    InfluxSchema(InfluxQl influxQl, InfluxConfig config) {
        this.influxQl = influxQl;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.createSchema()) {
            return;
        }
        try {
            ensure();
        } catch (RuntimeException e) {
            // Not fatal: InfluxDB may be down at start; writes wait for it and readiness reports it.
            LOG.warnf("could not create the InfluxDB schema at start (will not retry until restart): %s", e.getMessage());
        }
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
