package io.bandwatch.console.health;

import io.bandwatch.console.client.Service;
import io.bandwatch.console.client.ServiceClient;
import io.bandwatch.console.config.ConsoleConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when inventory-service answers on its API port (nobody can sign in without it): 200, or 401 for the
 * missing token; a 5xx, another status or no answer is DOWN. Redis has its own check.
 */
@Readiness
@ApplicationScoped
public class InventoryReadiness implements AsyncHealthCheck {

    @Inject
    ServiceClient client;
    @Inject
    ConsoleConfig config;

    @Override
    public Uni<HealthCheckResponse> call() {
        var request = client.request(Service.INVENTORY, HttpMethod.GET, config.inventoryProbePath()).timeout(2000);
        return client.send(Service.INVENTORY, request, null)
                .map(response -> HealthCheckResponse.named("inventory-service")
                        .status(response.statusCode() == 200 || response.statusCode() == 401)
                        .withData("status", response.statusCode()).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("inventory-service").down()
                        .withData("error", e.getMessage() == null ? "unreachable" : e.getMessage()).build());
    }
}
