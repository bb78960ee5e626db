package io.bandwatch.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code bandwatch.console.*}: where the four services are, how the session cookie is set, call timeouts. */
@ConfigMapping(prefix = "bandwatch.console")
public interface ConsoleConfig {

    Services services();

    /** Adds {@code Secure} to the session cookie even without {@code X-Forwarded-Proto: https}. */
    @WithDefault("false")
    boolean secureCookie();

    /** Upper bound of one call to a service (proxy and aggregates). */
    @WithDefault("10s")
    Duration callTimeout();

    /** Connect timeout of a call to a service. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** The console's own origin (scheme://host[:port]) for the Origin check; default: from the request. */
    Optional<String> origin();

    /**
     * Readiness: a path on inventory-service's API port that answers without a token (200, or 401 for a token it
     * wants): inventory's own health is on its management port, which the console does not reach. In Kubernetes
     * the Service routes only to ready inventory pods, so an answer there is a ready inventory.
     */
    @WithDefault("/api/v1/organizations")
    String inventoryProbePath();

    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        String inventory();

        @WithDefault("http://127.0.0.1:8082")
        String runner();

        @WithDefault("http://127.0.0.1:8083")
        String metrics();

        @WithDefault("http://127.0.0.1:8084")
        String alert();
    }
}
