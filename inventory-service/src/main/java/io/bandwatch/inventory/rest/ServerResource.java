package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.ServerRequest;
import io.bandwatch.inventory.api.Models.ServerView;
import io.bandwatch.inventory.service.ServerService;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/iperf3-servers")
@Tag(name = "iperf3 servers")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServerResource {

    @Inject
    ServerService service;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "iperf3 servers shared with the caller's organizations (viewer); filter by organization, enabled")
    public Uni<Page<ServerView>> list(@QueryParam("organization_id") UUID org, @QueryParam("enabled") Boolean enabled,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, @QueryParam("sort") String sort) {
        return service.list(caller, org, enabled, page, size, sort);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One iperf3 server (viewer); the password is never returned")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = ServerView.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(s -> Http.ok(s, s.version()));
    }

    @POST
    @Operation(summary = "Register an iperf3 server (owner of every organization in organization_ids)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "404", description = "unknown or another organization's object")
    public Uni<Response> create(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ServerRequest.class), examples = @ExampleObject(name = "server",
                    summary = "an iperf3 server of one organization, without authentication",
                    value = "{\"organization_ids\": [\"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\"], "
                            + "\"host\": \"iperf1.example.net\", \"port\": 5201, \"enabled\": true}"))) ServerRequest body) {
        return service.create(caller, body).map(s -> Http.created("/api/v1/iperf3-servers/" + s.id(), s, s.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace an iperf3 server (owner of all its organizations); needs If-Match")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") @Parameter(required = true,
            description = "the ETag of the version it replaces") String ifMatch,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ServerRequest.class), examples = @ExampleObject(name = "disabled",
                    summary = "the server taken out of the pool for maintenance",
                    value = "{\"organization_ids\": [\"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\"], "
                            + "\"host\": \"iperf2.example.net\", \"port\": 5202, \"enabled\": false}"))) ServerRequest body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(s -> Http.ok(s, s.version()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an iperf3 server (owner of all its organizations)")
    @APIResponse(responseCode = "204", description = "deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(caller, id).map(x -> Response.noContent().build());
    }
}
