package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.HostKeyBody;
import io.bandwatch.inventory.service.DeviceService;
import io.bandwatch.inventory.service.InternalService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** For check-runner only (group {@code service}): decrypted secrets for one run, host-key trust on first use. */
@Path("/api/v1/internal")
@Tag(name = "internal")
@RolesAllowed("service")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalResource {

    @Inject
    InternalService internal;
    @Inject
    DeviceService devices;

    @GET
    @Path("/checks/{checkId}/run-secrets")
    @Operation(summary = "SSH login and iperf3 credentials of a check's device, decrypted, for one run (service)")
    @APIResponse(responseCode = "200", description = "the secrets, decrypted; never cached (Cache-Control: no-store)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.bandwatch.inventory.api.Models.RunSecrets.class)))
    public Uni<Response> runSecrets(@PathParam("checkId") UUID checkId, @QueryParam("server") UUID server) {
        return internal.runSecrets(checkId, server)
                .map(s -> Response.ok(s).header("Cache-Control", "no-store").build());
    }

    @PUT
    @Path("/devices/{deviceId}/host-key")
    @Operation(summary = "Record the SSH host key seen on first use (service): 204 recorded or equal, 409 another is pinned")
    @APIResponse(responseCode = "204", description = "recorded, or the same key was pinned already")
    @APIResponse(responseCode = "400", description = "not a SHA256 fingerprint")
    @APIResponse(responseCode = "404", description = "unknown device")
    @APIResponse(responseCode = "409", description = "another host key is pinned")
    public Uni<Response> hostKey(@PathParam("deviceId") UUID deviceId, @NotNull @Valid @RequestBody(content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = HostKeyBody.class), examples = @ExampleObject(
                    name = "first use", summary = "the key the runner saw at its first SSH login to the device",
                    value = "{\"fingerprint\": \"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\"}")))
            HostKeyBody body) {
        return devices.recordHostKey(deviceId, body.fingerprint()).map(x -> Response.noContent().build());
    }
}
