package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.rest.model.Models.TokenRequest;
import io.bandwatch.inventory.rest.model.Models.TokenResponse;
import io.bandwatch.inventory.service.AuthService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AuthService auth;

    @POST
    @Path("/token")
    @PermitAll
    @Operation(summary = "Exchange user name and password for a signed JWT (RS256)")
    @APIResponse(responseCode = "200", description = "access_token, token_type Bearer, expires_in seconds")
    @APIResponse(responseCode = "401", description = "invalid user name or password")
    public Uni<TokenResponse> token(@NotNull @Valid TokenRequest request) {
        return auth.token(request.username(), request.password());
    }
}
