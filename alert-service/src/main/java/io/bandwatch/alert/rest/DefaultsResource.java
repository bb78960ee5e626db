package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.alert.evaluation.DefaultSetting;
import io.bandwatch.alert.rest.model.DefaultSettingView;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.alert.service.SettingsService;
import io.bandwatch.events.Metrics;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/organizations/{organizationId}/alert-defaults")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "alert defaults", description = "per-organization default settings created with each new check; "
        + "for a check type with none, the built-in ones apply")
public class DefaultsResource {

    @Inject
    Pool pool;

    @Inject
    SettingsService settings;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The organization's own defaults (empty: built-in defaults apply)")
    public Uni<List<DefaultSettingView>> get(@PathParam("organizationId") UUID org) {
        if (!caller.canRead(org)) {
            throw ProblemException.notFound("organization " + org);
        }
        return settings.defaults(org).map(list -> list.stream()
                .map(d -> new DefaultSettingView(d.checkType(), d.field(), d.operator(), d.threshold(), d.tolerance(),
                        d.active()))
                .toList());
    }

    @PUT
    @Operation(summary = "Replace the organization's defaults (operators and owners); applies to checks created afterwards")
    @APIResponse(responseCode = "200", description = "the defaults now", content = @Content(mediaType = "application/json",
            schema = @Schema(type = SchemaType.ARRAY, implementation = DefaultSettingView.class)))
    @APIResponse(responseCode = "400", description = "a field is wrong (errors[].field names it, e.g. [0].field)")
    @APIResponse(responseCode = "403", description = "a viewer")
    @APIResponse(responseCode = "404", description = "unknown or another organization")
    public Uni<List<DefaultSettingView>> put(@PathParam("organizationId") UUID org,
            @NotNull @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = DefaultSettingView.class),
                    examples = @ExampleObject(name = "stricter", summary = "iperf3 checks alert below 20 Mbit/s for a day, "
                            + "pings after 10 minutes unreachable",
                            value = "[{\"check_type\": \"iperf3\", \"field\": \"sent_bps_tcp\", \"operator\": \"<\", "
                                    + "\"threshold\": 20000000, \"tolerance\": \"PT24H\", \"active\": true}, "
                                    + "{\"check_type\": \"ping\", \"field\": \"reachable\", \"operator\": \"<\", "
                                    + "\"threshold\": 1, \"tolerance\": \"PT10M\"}]")))
            List<@Valid @NotNull DefaultSettingView> input) {
        if (!caller.canRead(org)) {
            throw ProblemException.notFound("organization " + org);
        }
        if (!caller.canWrite(org)) {
            throw ProblemException.forbidden("operators and owners of the organization manage alert defaults");
        }
        List<DefaultSetting> defaults = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            DefaultSettingView d = input.get(i);
            if (!Metrics.fieldNames(d.checkType()).contains(d.field())) {
                throw ProblemException.validation("[" + i + "].field", "'" + d.field() + "' is not a field of a "
                        + d.checkType().jsonName() + " check");
            }
            if (!seen.add(d.checkType().jsonName() + "/" + d.field())) {
                throw ProblemException.validation("[" + i + "].field", "duplicate default for " + d.field());
            }
            SettingsService.validate(d.field(), d.threshold(), d.tolerance());
            defaults.add(new DefaultSetting(d.checkType(), d.field(), d.operator(), d.threshold(), d.tolerance(),
                    d.active() == null || d.active()));
        }
        return settings.replaceDefaults(org, defaults).chain(() -> get(org));
    }
}
