package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.alert.rest.model.AlertSettingInput;
import io.bandwatch.alert.rest.model.AlertSettingView;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.alert.service.SettingsService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/alert-settings")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "alert settings", description = "one setting per metric field of a check; viewers read, operators and owners write")
public class AlertSettingResource {

    @Inject
    Pool pool;

    @Inject
    SettingsService settings;

    @Inject
    Caller caller;

    @Inject
    SettingRepository settingRepository;

    @GET
    @Operation(summary = "List the alert settings of the caller's organizations, optionally of one device or check")
    public Uni<List<AlertSettingView>> list(@QueryParam("device_id") UUID deviceId, @QueryParam("check_id") UUID checkId) {
        return settingRepository.list(pool, caller.readable(), deviceId, checkId)
                .map(list -> list.stream().map(AlertSettingView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One alert setting with its state")
    @APIResponse(responseCode = "404", description = "unknown or another organization's setting")
    @APIResponse(responseCode = "200", description = "the setting with its state", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AlertSettingView.class)))
    public Uni<AlertSettingView> get(@PathParam("id") UUID id) {
        return settingRepository.find(pool, id, false).map(found -> found.filter(s -> caller.canRead(s.organizationId()))
                .map(AlertSettingView::of).orElseThrow(() -> ProblemException.notFound("alert setting " + id)));
    }

    @POST
    @Operation(summary = "Create a setting for a field of a check (one per field)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AlertSettingView.class)))
    @APIResponse(responseCode = "400", description = "invalid field, operator, threshold or tolerance")
    @APIResponse(responseCode = "404", description = "unknown or another organization's check")
    @APIResponse(responseCode = "409", description = "the check already has a setting for that field")
    public Uni<Response> create(@Valid @NotNull @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AlertSettingInput.class), examples = @ExampleObject(name = "jitter",
                    summary = "a problem when the UDP jitter of an iperf3 check stays above 30 ms for an hour",
                    value = "{\"check_id\": \"5d2f7a1c-8e3b-4f6a-9c0d-1e2f3a4b5c6d\", \"field\": \"jitter\", "
                            + "\"operator\": \">\", \"threshold\": 30, \"tolerance\": \"PT1H\", \"active\": true}")))
            AlertSettingInput input) {
        if (input.checkId() == null) {
            throw ProblemException.validation("check_id", "check_id is required");
        }
        if (input.field() == null || input.field().isBlank()) {
            throw ProblemException.validation("field", "field is required");
        }
        SettingsService.validate(input.field(), input.threshold(), input.tolerance());
        return settings.create(input.checkId(), input.field(), input.operator(), input.threshold(), input.tolerance(),
                        input.active() == null || input.active(), caller::canWrite, caller::canRead)
                .map(s -> Response.created(URI.create("/api/v1/alert-settings/" + s.id()))
                        .entity(AlertSettingView.of(s)).build());
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace operator, threshold, tolerance and active of a setting")
    @APIResponse(responseCode = "200", description = "replaced", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AlertSettingView.class)))
    @APIResponse(responseCode = "400", description = "invalid operator, threshold or tolerance, or a changed check or field")
    @APIResponse(responseCode = "404", description = "unknown or another organization's setting")
    public Uni<AlertSettingView> update(@PathParam("id") UUID id, @Valid @NotNull @RequestBody(content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = AlertSettingInput.class),
            examples = @ExampleObject(name = "stricter", summary = "alert sooner: below 5 Mbit/s for a day",
                    value = "{\"operator\": \"<\", \"threshold\": 5000000, \"tolerance\": \"PT24H\", \"active\": true}")))
            AlertSettingInput input) {
        SettingsService.validate(input.field(), input.threshold(), input.tolerance());
        return settingRepository.find(pool, id, false).chain(found -> {
            found.ifPresent(s -> {
                if (input.checkId() != null && !input.checkId().equals(s.checkId())) {
                    throw ProblemException.validation("check_id", "the check of a setting cannot change");
                }
                if (input.field() != null && !input.field().equals(s.field())) {
                    throw ProblemException.validation("field", "the field of a setting cannot change");
                }
            });
            return settings.update(id, input.operator(), input.threshold(), input.tolerance(),
                    input.active() == null || input.active(), caller::canWrite, caller::canRead);
        }).map(AlertSettingView::of);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a setting")
    @APIResponse(responseCode = "204", description = "deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return settings.delete(id, caller::canWrite, caller::canRead).map(v -> Response.noContent().build());
    }
}
