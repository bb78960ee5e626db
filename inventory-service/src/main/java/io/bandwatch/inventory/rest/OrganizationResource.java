package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.MemberView;
import io.bandwatch.inventory.api.Models.OrganizationRequest;
import io.bandwatch.inventory.api.Models.OrganizationView;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.RoleBody;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.inventory.service.OrganizationService;
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

@Path("/api/v1/organizations")
@Tag(name = "organizations")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    @Inject
    OrganizationService service;
    @Inject
    io.bandwatch.inventory.service.DefaultsService defaults;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Organizations the caller is a member of (all for a superuser)")
    public Uni<Page<OrganizationView>> list(@QueryParam("enabled") Boolean enabled,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, @QueryParam("sort") String sort) {
        return service.list(caller, enabled, page, size, sort);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One organization (any member)")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = OrganizationView.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(o -> Http.ok(o, o.version()));
    }

    @POST
    @Operation(summary = "Create an organization (superuser)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = OrganizationView.class)))
    @APIResponse(responseCode = "403", description = "the caller's role is too low")
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> create(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = OrganizationRequest.class), examples = @ExampleObject(name = "branch",
                    summary = "a new organization, enabled",
                    value = "{\"name\": \"Rome branch\", \"enabled\": true}"))) OrganizationRequest body) {
        return service.create(caller, body).map(o -> Http.created("/api/v1/organizations/" + o.id(), o, o.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Rename, enable or disable an organization (owner); needs If-Match")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = OrganizationView.class)))
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") @Parameter(required = true,
            description = "the ETag of the version it replaces") String ifMatch,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = OrganizationRequest.class), examples = @ExampleObject(name = "renamed",
                    summary = "the organization renamed",
                    value = "{\"name\": \"Rome and Lazio\", \"enabled\": true}"))) OrganizationRequest body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(o -> Http.ok(o, o.version()));
    }

    @GET
    @Path("/{id}/iperf3-defaults")
    @Operation(summary = "The organization's iperf3 configuration (viewer); password and rsa_public_key are write-only")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = io.bandwatch.inventory.api.Models.DefaultsView.class)))
    public Uni<Response> getDefaults(@PathParam("id") UUID id) {
        return defaults.get(caller, id).map(d -> Http.ok(d, d.version()));
    }

    @PUT
    @Path("/{id}/iperf3-defaults")
    @Operation(summary = "Replace the organization's iperf3 configuration (owner), OpenWISP's per-organization shape; If-Match optional")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = io.bandwatch.inventory.api.Models.DefaultsView.class)))
    public Uni<Response> putDefaults(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @NotNull @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(
                    name = "longer", summary = "every iperf3 check of the organization runs 15 s with 2 streams",
                    value = "{\"client_options\": {\"time\": 15, \"parallel\": 2, \"connect_timeout\": 2000}}")))
            com.fasterxml.jackson.databind.JsonNode body) {
        return defaults.put(caller, id, Http.ifMatch(ifMatch), body).map(d -> Http.ok(d, d.version()));
    }

    @GET
    @Path("/{id}/members")
    @Operation(summary = "Members of an organization and their roles (owner)")
    public Uni<List<MemberView>> members(@PathParam("id") UUID id) {
        return service.members(caller, id);
    }

    @PUT
    @Path("/{id}/members/{userId}")
    @Operation(summary = "Add a member or change their role (owner)")
    @APIResponse(responseCode = "200", description = "the membership", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = MemberView.class)))
    public Uni<MemberView> putMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = RoleBody.class), examples = @ExampleObject(name = "operator",
                    summary = "the user operates the organization's checks",
                    value = "{\"role\": \"operator\"}"))) RoleBody body) {
        return service.putMember(caller, id, userId, body.role());
    }

    @DELETE
    @Path("/{id}/members/{userId}")
    @Operation(summary = "Remove a member (owner)")
    @APIResponse(responseCode = "204", description = "removed")
    public Uni<Response> deleteMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId) {
        return service.deleteMember(caller, id, userId).map(x -> Response.noContent().build());
    }
}
