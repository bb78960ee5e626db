package io.bandwatch.metrics.influx;

import com.influxdb.exceptions.InfluxException;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.ProblemTranslator;
import jakarta.enterprise.context.ApplicationScoped;

/** InfluxDB failing a chart query is not the caller's fault and not a bug: 503, for the platform's problem mappers. */
@ApplicationScoped
public class InfluxProblems implements ProblemTranslator {

    @Override
    public ProblemException translate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InfluxException) {
                return ProblemException.unavailable("InfluxDB could not answer the query");
            }
        }
        return null;
    }
}
