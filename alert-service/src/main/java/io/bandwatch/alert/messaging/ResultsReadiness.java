package io.bandwatch.alert.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness "check.results consumers": DOWN while a batch fails (and is retried) or a consumer stopped. */
@Readiness
@ApplicationScoped
public class ResultsReadiness implements HealthCheck {

    @Inject
    ResultsConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        String problem = consumer.problem();
        return HealthCheckResponse.named("check.results consumers").status(problem == null)
                .withData("problem", problem == null ? "none" : problem).build();
    }
}
