package io.bandwatch.console.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.console.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The capacity line of the servers page (computed by the runner, which knows servers, runs and schedules). */
@Path("/console/api/capacity")
@Tag(name = "fleet")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

    @Inject
    FleetService fleet;
    @Inject
    CurrentSession session;

    @GET
    @Operation(summary = "iperf3 tests per day the server pool can serve against those the schedules ask for")
    public Uni<JsonNode> capacity(@QueryParam("organization_id") @Size(max = 64) String organizationId) {
        return fleet.capacity(organizationId, session.jwt());
    }
}
