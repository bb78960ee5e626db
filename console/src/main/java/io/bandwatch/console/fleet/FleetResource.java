package io.bandwatch.console.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.console.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet overview's data: the device list with last values and runs, counts by health, the slowest devices. */
@Path("/console/api/fleet")
@Tag(name = "fleet")
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {

    @Inject
    FleetService fleet;
    @Inject
    CurrentSession session;

    @GET
    @Operation(summary = "One page of devices with their health, last values and last run; filters as inventory's plus failing_field")
    public Uni<ObjectNode> list(@QueryParam("organization_id") @Size(max = 64) String organizationId,
            @QueryParam("health") @Size(max = 16) String health,
            @QueryParam("failing_field") @Size(max = 64) String failingField,
            @QueryParam("tag") @Size(max = 200) String tag, @QueryParam("q") @Size(max = 200) String q,
            @QueryParam("sort") @Size(max = 32) String sort,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        return fleet.fleet(new FleetService.Query(organizationId, blankToNull(health), failingField, tag, q, sort, page,
                size), session.jwt());
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Device counts by health: ok, problem, critical, unknown")
    public Uni<ObjectNode> summary(@QueryParam("organization_id") @Size(max = 64) String organizationId) {
        return fleet.summary(organizationId, session.jwt());
    }

    @GET
    @Path("/slowest")
    @Operation(summary = "The 10 devices with the lowest median TCP received bandwidth over 7 days")
    public Uni<ObjectNode> slowest(@QueryParam("organization_id") @Size(max = 64) String organizationId) {
        return fleet.slowest(organizationId, session.jwt());
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
