package io.bandwatch.metrics.service;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import io.bandwatch.metrics.config.InfluxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes a batch of points (lines of line protocol, nanosecond times) and returns only once InfluxDB has acknowledged it. While InfluxDB cannot take the
 * batch (down, timeout, 5xx, auth) it waits with a growing pause and tries again, for as long as it takes: the
 * Kafka consumer that called it does not commit meanwhile and stops fetching when its buffer is full. A point
 * InfluxDB refuses with 400/422 can never be written; those are returned, with InfluxDB's message, for the
 * dead-letter topic (the batch is re-written point by point to find them; rewriting a point is harmless).
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);

    /** A point that can never be written, and why. */
    public record Rejected(int index, String reason) {
    }

    private final InfluxDBClient client;
    private final InfluxConfig config;
    private final Counter written;
    private final Counter retries;
    private volatile boolean stopping;

    ResultWriter(InfluxDBClient client, InfluxConfig config, MeterRegistry registry) {
        this.client = client;
        this.config = config;
        this.written = Counter.builder("bandwatch.metrics.points.written").description("points acknowledged by InfluxDB")
                .register(registry);
        this.retries = Counter.builder("bandwatch.metrics.write.retries")
                .description("batch writes retried because InfluxDB could not take them").register(registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Writes every point; blocks until acknowledged. Returns the points that InfluxDB refuses for good (by index).
     * Throws only when the service is stopping (the batch is then not committed and is read again later).
     */
    public List<Rejected> write(List<String> points) {
        if (points.isEmpty()) {
            return List.of();
        }
        try {
            writeWithRetry(points);
            written.increment(points.size());
            return List.of();
        } catch (Refused e) {
            if (points.size() == 1) {
                return List.of(new Rejected(0, e.getMessage()));
            }
        }
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            try {
                writeWithRetry(List.of(points.get(i)));
                written.increment();
            } catch (Refused e) {
                rejected.add(new Rejected(i, e.getMessage()));
            }
        }
        return rejected;
    }

    private void writeWithRetry(List<String> points) {
        WriteApiBlocking api = client.getWriteApiBlocking();
        long pauseMs = config.retryBackoff().toMillis();
        int attempt = 0;
        while (true) {
            try {
                api.writeRecords(config.writeBucket(), config.org(), WritePrecision.NS, points);
                if (attempt > 0) {
                    LOG.infof("InfluxDB took the batch of %d points after %d retries", points.size(), attempt);
                }
                return;
            } catch (InfluxException e) {
                if (e.status() == 400 || e.status() == 422) {
                    throw new Refused(reason(e));
                }
                attempt++;
                retries.increment();
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("InfluxDB cannot take a batch of %d points (attempt %d, status %d): %s; waiting",
                            points.size(), attempt, e.status(), e.getMessage());
                }
            } catch (RuntimeException e) {
                attempt++;
                retries.increment();
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("InfluxDB cannot take a batch of %d points (attempt %d): %s; waiting", points.size(),
                            attempt, e.toString());
                }
            }
            if (stopping) {
                throw new IllegalStateException("stopping: batch not written, it will be read again");
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: batch not written, it will be read again", ie);
            }
            pauseMs = Math.min(pauseMs * 2, config.retryMaxBackoff().toMillis());
        }
    }

    /** InfluxDB refused the points for good (400/422). */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private static String reason(InfluxException e) {
        String message = e.getMessage();
        return "InfluxDB refused the point (HTTP " + e.status() + "): " + (message == null ? "" : message);
    }
}
