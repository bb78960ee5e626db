package io.bandwatch.platform.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness "Outbox relay": DOWN while the relay's passes fail (Kafka unreachable or refusing, database errors),
 * with since when, how many passes and the last cause; UP again after the first pass that succeeds.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "bandwatch.outbox.enabled", stringValue = "true")
public class OutboxReadiness implements HealthCheck {

    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Outbox relay")
                .withData("sent", relay.sentCount());
        OutboxRelay.Failure failure = relay.lastFailure();
        if (failure == null) {
            return response.up().build();
        }
        return response.down().withData("failing_since", failure.since().toString())
                .withData("failed_passes", failure.passes()).withData("cause", failure.cause()).build();
    }
}
