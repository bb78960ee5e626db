package io.bandwatch.inventory.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.inventory.api.Models.DefaultsView;
import io.bandwatch.inventory.api.Models.ImportResult;
import io.bandwatch.inventory.service.DefaultsService;
import io.bandwatch.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/iperf3-defaults")
@Tag(name = "iperf3 defaults")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DefaultsResource {

    @Inject
    DefaultsService service;
    @Inject
    Caller caller;

    @POST
    @Path("/import")
    @Operation(summary = "Import an OPENWISP_MONITORING_IPERF3_CHECK_CONFIG document as it is (owner of every organization in it)")
    public Uni<ImportResult> importOpenWisp(@NotNull JsonNode body) {
        return service.importOpenWisp(caller, body);
    }
}
