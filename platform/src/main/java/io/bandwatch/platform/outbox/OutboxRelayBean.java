package io.bandwatch.platform.outbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's own {@link OutboxRelay}, started with the service and stopped with it; present only where
 * {@code bandwatch.outbox.enabled=true} at build time (the class then needs the reactive PostgreSQL client and
 * Micrometer, which such services have). Metrics: {@code bandwatch.outbox.sent}, {@code bandwatch.outbox.send.failures}.
 */
@ApplicationScoped
@IfBuildProperty(name = "bandwatch.outbox.enabled", stringValue = "true")
public class OutboxRelayBean {

    @Produces
    @Singleton
    OutboxRelay relay(Pool pool, OutboxConfig config, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String application,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        // the broker's security (KafkaClientSecurity: KAFKA_* in Kubernetes) as the service's channels have it
        OutboxRelay relay = new OutboxRelay(pool, config, application + "-outbox-relay",
                config.source().orElse("/bandwatch/" + application), config.bootstrapServers().orElse(bootstrapServers),
                kafka);
        FunctionCounter.builder("bandwatch.outbox.sent", relay, OutboxRelay::sentCount)
                .description("outbox rows published and acknowledged").register(registry);
        FunctionCounter.builder("bandwatch.outbox.send.failures", relay, OutboxRelay::failureCount)
                .description("failed outbox relay passes").register(registry);
        return relay;
    }

    void start(@Observes StartupEvent event, OutboxRelay relay) {
        relay.startRelay();
    }

    void stop(@Observes ShutdownEvent event, OutboxRelay relay) {
        relay.stopRelay();
    }
}
