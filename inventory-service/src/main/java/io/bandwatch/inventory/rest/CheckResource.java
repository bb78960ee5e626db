package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.api.Models.CheckBody;
import io.bandwatch.inventory.api.Models.CheckView;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.service.CheckService;
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

@Path("/api/v1/checks")
@Tag(name = "checks")
@RolesAllowed("user")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CheckResource {

    @Inject
    CheckService service;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Checks (viewer); filter by organization, device, type, active")
    public Uni<Page<CheckView>> list(@QueryParam("organization_id") UUID org, @QueryParam("device_id") UUID device,
            @QueryParam("type") String type, @QueryParam("active") Boolean active,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size, @QueryParam("sort") String sort) {
        return service.list(caller, org, device, type, active, page, size, sort);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One check with its parameters as given and its effective parameters (viewer)")
    @APIResponse(responseCode = "200", description = "found; ETag is its version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = CheckView.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(caller, id).map(c -> Http.ok(c, c.version()));
    }

    @POST
    @Operation(summary = "Create a check (operator)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "404", description = "unknown or another organization's object")
    public Uni<Response> create(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CheckBody.class), examples = {
                @ExampleObject(name = "iperf3", summary = "nightly iperf3 against a server of the organization, OpenWISP's parameters",
                        value = "{\"device_id\": \"3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c\", \"name\": \"nightly bandwidth\", "
                                + "\"type\": \"iperf3\", \"params\": {\"host\": [\"iperf1.example.net\"], "
                                + "\"client_options\": {\"port\": 5201, \"time\": 20, \"parallel\": 2, "
                                + "\"udp\": {\"bitrate\": \"50M\"}}}, \"schedule\": {\"cron\": \"0 2 * * *\", "
                                + "\"time_zone\": \"Europe/Rome\", \"random_slip\": \"PT30M\"}, \"active\": true}"),
                @ExampleObject(name = "ping", summary = "fping every 5 minutes",
                        value = "{\"device_id\": \"3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c\", \"name\": \"reachability\", "
                                + "\"type\": \"ping\", \"params\": {\"count\": 5, \"interval\": 25, \"timeout\": 800}, "
                                + "\"schedule\": {\"interval\": \"PT5M\"}}")})) CheckBody body) {
        return service.create(caller, body).map(c -> Http.created("/api/v1/checks/" + c.id(), c, c.version()));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a check (operator); needs If-Match")
    @APIResponse(responseCode = "200", description = "replaced; ETag is the new version", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "409", description = "the name is taken")
    public Uni<Response> update(@PathParam("id") UUID id, @HeaderParam("If-Match") @Parameter(required = true,
            description = "the ETag of the version it replaces") String ifMatch,
            @NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = CheckBody.class), examples = {
                        @ExampleObject(name = "iperf3", summary = "an iperf3 check made longer, reversed and paused",
                                value = "{\"device_id\": \"3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c\", \"name\": \"weekly bandwidth\", "
                                        + "\"type\": \"iperf3\", \"params\": {\"host\": [\"iperf1.example.net\"], "
                                        + "\"client_options\": {\"time\": 30, \"reverse\": true, \"connect_timeout\": 5000}}, "
                                        + "\"schedule\": {\"cron\": \"30 3 * * 0\", \"time_zone\": \"UTC\"}, \"active\": false}"),
                        @ExampleObject(name = "ping", summary = "a ping check every minute with more probes",
                                value = "{\"device_id\": \"3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c\", \"name\": \"fast reachability\", "
                                        + "\"type\": \"ping\", \"params\": {\"count\": 10, \"interval\": 50}, "
                                        + "\"schedule\": {\"interval\": \"PT1M\"}, \"active\": true}")})) CheckBody body) {
        return service.update(caller, id, Http.ifMatch(ifMatch), body).map(c -> Http.ok(c, c.version()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a check (operator)")
    @APIResponse(responseCode = "204", description = "deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(caller, id).map(x -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/run")
    @Operation(summary = "Run a check now (operator): a request on check.requests; 202")
    @APIResponse(responseCode = "202", description = "accepted: the request is on check.requests; its id, the check and the device",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.bandwatch.inventory.api.Models.RunAccepted.class)))
    public Uni<Response> run(@PathParam("id") UUID id) {
        return service.run(caller, id).map(r -> Response.accepted(r).build());
    }
}
