package io.bandwatch.metrics.influx;

import com.influxdb.client.InfluxDBClient;
import io.bandwatch.metrics.config.InfluxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while InfluxDB answers its ping and the schema (database, retention policies, continuous queries) has
 * been set up ({@link InfluxSchema} retries until it is): without them no result can be stored. A synchronous
 * check, so SmallRye Health runs it on a worker thread.
 */
@Readiness
@ApplicationScoped
public class InfluxHealthCheck implements HealthCheck {

    static final String NAME = "InfluxDB connection health check";

    @Inject
    InfluxDBClient client;

    @Inject
    InfluxConfig config;

    @Inject
    InfluxSchema schema;

    @Override
    public HealthCheckResponse call() {
        boolean up;
        String error = null;
        try {
            up = client.ping();
        } catch (RuntimeException e) {
            up = false;
            error = e.getMessage();
        }
        boolean schemaReady = schema.ready();
        var response = HealthCheckResponse.named(NAME).status(up && schemaReady).withData("url", config.url())
                .withData("schema", schemaReady ? "set up" : "not set up yet: " + schema.lastError());
        if (error != null) {
            response.withData("error", error);
        }
        return response.build();
    }
}
