package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.DeviceRequest;
import io.bandwatch.inventory.api.Models.DeviceView;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.service.DeviceService;
import io.bandwatch.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
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
import java.util.List;
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

@Path("/api/v1/devices")
@Tag(name = "devices")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceResource {

    @Inject
    DeviceService service;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Devices (viewer); filter by organization, tag, health, enabled, q (text in name or address), id (repeated, at most 500); sort by name, address, created_at, updated_at (prefix - for descending)")
    public Uni<Page<DeviceView>> list(@QueryParam("organization_id") UUID org, @QueryParam("tag") String tag,
            @QueryParam("health") String health, @QueryParam("enabled") Boolean enabled,
            @QueryParam("q") @Size(max = 200) String q, @QueryParam("id") @Size(max = 500) List<UUID> ids,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, @QueryParam("sort") String sort) {
        return service.list(caller, org, tag, health, enabled, q, ids, page, size, sort);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One device (viewer); secrets are never returned")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = DeviceView.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(d -> Http.ok(d, d.version()));
    }

    @POST
    @Operation(summary = "Create a device (owner) with its default checks unless create_default_checks is false")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = DeviceView.class)))
    @APIResponse(responseCode = "404", description = "unknown or another organization's object")
    public Uni<Response> create(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = DeviceRequest.class), examples = @ExampleObject(name = "router",
                    summary = "an OpenWrt router reached over SSH with a password",
                    value = "{\"organization_id\": \"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\", \"name\": \"rome-office-gw\", "
                            + "\"address\": \"198.18.0.10\", \"ssh_port\": 22, \"ssh_user\": \"root\", "
                            + "\"password\": \"example-secret\", \"tags\": [\"rome\", \"office\"]}"))) DeviceRequest body) {
        return service.create(caller, body).map(d -> Http.created("/api/v1/devices/" + d.id(), d, d.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a device (owner); needs If-Match; absent secrets are kept")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = DeviceView.class)))
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") @Parameter(required = true,
            description = "the ETag of the version it replaces") String ifMatch,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DeviceRequest.class), examples = @ExampleObject(name = "moved",
                    summary = "the router got a new address and SSH port; its secret is kept (absent)",
                    value = "{\"organization_id\": \"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\", \"name\": \"milan-office-gw\", "
                            + "\"address\": \"198.18.0.20\", \"ssh_port\": 2222, \"ssh_user\": \"root\", "
                            + "\"tags\": [\"milan\", \"office\"]}"))) DeviceRequest body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(d -> Http.ok(d, d.version()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a device and its checks (owner); tombstones on the compacted topics")
    @APIResponse(responseCode = "204", description = "deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(caller, id).map(x -> Response.noContent().build());
    }
}
