package io.bandwatch.runner.client;

import jakarta.ws.rs.Consumes;
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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** inventory-service's token and internal endpoints (role {@code service}). */
@RegisterRestClient(configKey = "inventory")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface InventoryApi {

    @POST
    @Path("/auth/token")
    Map<String, Object> token(Map<String, String> credentials);

    @GET
    @Path("/internal/checks/{checkId}/run-secrets")
    RunSecrets runSecrets(@HeaderParam("Authorization") String authorization, @PathParam("checkId") UUID checkId,
            @QueryParam("server") UUID serverId);

    @PUT
    @Path("/internal/devices/{deviceId}/host-key")
    Response hostKey(@HeaderParam("Authorization") String authorization, @PathParam("deviceId") UUID deviceId,
            Map<String, String> body);
}
