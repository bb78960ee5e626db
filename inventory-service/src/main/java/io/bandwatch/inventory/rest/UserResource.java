package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.UserCreate;
import io.bandwatch.inventory.api.Models.UserUpdate;
import io.bandwatch.inventory.api.Models.UserView;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.inventory.service.UserService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

@Path("/api/v1/users")
@Tag(name = "users")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    @Inject
    UserService service;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Users of the organizations the caller owns (all for a superuser)")
    public Uni<Page<UserView>> list(@QueryParam("organization_id") UUID org,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, @QueryParam("sort") String sort) {
        return service.list(caller, org, page, size, sort);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One user (owner of one of the user's organizations)")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = UserView.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(u -> Http.ok(u, u.version()));
    }

    @POST
    @Operation(summary = "Create a user with memberships (owner of those organizations, or superuser); password is write-only")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "404", description = "unknown or another organization's object")
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> create(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = UserCreate.class), examples = @ExampleObject(name = "viewer",
                    summary = "a user who reads one organization",
                    value = "{\"username\": \"ada\", \"password\": \"correct horse battery\", \"memberships\": [{\"organization_id\": \"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\", \"role\": \"viewer\"}]}"))) UserCreate body) {
        return service.create(caller, body).map(u -> Http.created("/api/v1/users/" + u.id(), u, u.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change password, enable or disable a user (owner of all the user's organizations); needs If-Match")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UserView.class)))
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") @Parameter(required = true,
            description = "the ETag of the version it replaces") String ifMatch,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = UserUpdate.class), examples = @ExampleObject(name = "new password",
                    summary = "a new password; the user stays enabled",
                    value = "{\"password\": \"battery staple horse\", \"enabled\": true}"))) UserUpdate body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(u -> Http.ok(u, u.version()));
    }
}
