package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.alert.repository.DeviceHealthRepository;
import io.bandwatch.alert.rest.model.DeviceHealthView;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.events.HealthStatus;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/device-health")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "device health", description = "as published on devices.health")
public class HealthResource {

    @Inject
    Pool pool;

    @Inject
    Caller caller;

    @Inject
    DeviceHealthRepository healths;

    @GET
    @Path("{deviceId}")
    @Operation(summary = "A device's health; unknown (404) before any result")
    public Uni<DeviceHealthView> get(@PathParam("deviceId") UUID deviceId) {
        return healths.find(pool, deviceId).map(h -> {
            if (h.isEmpty() || !caller.canRead(h.get().organizationId())) {
                throw ProblemException.notFound("health of device " + deviceId);
            }
            HealthStatus status = h.get().status();
            return new DeviceHealthView(deviceId, h.get().organizationId(), status, h.get().changedAt(), h.get().reason());
        });
    }
}
