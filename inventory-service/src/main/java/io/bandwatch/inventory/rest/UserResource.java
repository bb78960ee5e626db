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
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(u -> Http.ok(u, u.version()));
    }

    @POST
    @Operation(summary = "Create a user with memberships (owner of those organizations, or superuser); password is write-only")
    public Uni<Response> create(@NotNull @Valid UserCreate body) {
        return service.create(caller, body).map(u -> Http.created("/api/v1/users/" + u.id(), u, u.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change password, enable or disable a user (owner of all the user's organizations); needs If-Match")
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid UserUpdate body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(u -> Http.ok(u, u.version()));
    }
}
