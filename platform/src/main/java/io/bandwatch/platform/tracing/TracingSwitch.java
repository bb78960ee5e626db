package io.bandwatch.platform.tracing;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tells {@link Traces} at start whether tracing is off ({@code quarkus.otel.sdk.disabled}, the platform's default):
 * Quarkus then installs an OpenTelemetry SDK that starts spans but exports none, which the API alone cannot tell from
 * tracing on, and {@link Traces#startBatch} would read every record's trace context for links nobody sees. Before
 * the services' own start-up observers (their consumers), so that their first batches know it.
 */
@ApplicationScoped
public class TracingSwitch {

    void onStart(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean disabled) {
        Traces.sdkDisabled(disabled);
    }
}
