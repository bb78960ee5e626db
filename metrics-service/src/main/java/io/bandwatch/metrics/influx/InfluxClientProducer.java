package io.bandwatch.metrics.influx;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import io.bandwatch.metrics.config.InfluxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import okhttp3.OkHttpClient;

/** One InfluxDB client per service instance, with timeouts on every call. */
@ApplicationScoped
public class InfluxClientProducer {

    @Produces
    @ApplicationScoped
    InfluxDBClient influxClient(InfluxConfig config) {
        long timeoutMs = config.timeout().toMillis();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(java.time.Duration.ofMillis(timeoutMs))
                .readTimeout(java.time.Duration.ofMillis(timeoutMs))
                .writeTimeout(java.time.Duration.ofMillis(timeoutMs));
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(config.url())
                .org(config.org())
                .bucket(config.writeBucket())
                .okHttpClient(http);
        config.token().ifPresent(token -> options.authenticateToken(token.toCharArray()));
        return InfluxDBClientFactory.create(options.build());
    }

    void close(@Disposes InfluxDBClient client) {
        client.close();
    }
}
