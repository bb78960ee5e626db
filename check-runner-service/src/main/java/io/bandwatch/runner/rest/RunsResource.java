package io.bandwatch.runner.rest;

import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.RunRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.runner.repository.RunsQuery;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Run history and schedule state. Viewers of the check's organization, superusers and services. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"user", "superuser", "service"})
@Tag(name = "runs")
@SecurityRequirement(name = "jwt")
public class RunsResource {

    @Inject
    RunRepository runs;

    @Inject
    CheckRepository checks;

    @Inject
    Caller caller;

    /** One run. */
    public record RunView(UUID eventId, UUID checkId, UUID deviceId, UUID organizationId, String type, String trigger,
            String runnerId, Instant startedAt, Instant finishedAt, long durationMs, String status, ErrorView error,
            ServerView server) {
    }

    public record ErrorView(String code, String message) {
    }

    public record ServerView(UUID id, String host, Integer port, Long fencingToken) {
    }

    public record ScheduleView(UUID checkId, UUID deviceId, String type, boolean active, String schedule,
            Instant nextRunAt, boolean runRequested, boolean running, String runningBy, Instant claimedAt,
            Instant heartbeatAt, Instant lastRunAt, String lastStatus, String lastErrorCode) {
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Recent runs, newest first (status, duration, server, error): of a device and/or a check, or,"
            + " without either, of every organization the caller sees; filter by status and error code; the next page"
            + " is in the Link header (rel=\"next\")")
    public Uni<RestResponse<List<RunView>>> runs(@Parameter(description = "device id") @QueryParam("device") UUID device,
            @Parameter(description = "check id") @QueryParam("check") UUID check,
            @Parameter(description = "ok or failed") @QueryParam("status") String status,
            @Parameter(description = "error code of failed runs, e.g. ssh_unreachable") @QueryParam("error_code")
            String errorCode,
            @Parameter(description = "where the page starts: the cursor of the Link rel=\"next\" header of the page before")
            @QueryParam("cursor") String cursor,
            @Parameter(description = "at most this many runs (1-500)") @QueryParam("limit") @DefaultValue("50")
            @Min(1) @Max(500) int limit,
            @Context UriInfo uri) {
        RunsQuery query = new RunsQuery(device, check, status(status),
                errorCode(errorCode), cursor(cursor), limit);
        return runs.page(query, caller.readable()).map(rows -> {
            List<RunView> page = rows.stream()
                    .map(r -> new RunView(r.eventId(), r.checkId(), r.deviceId(), r.organizationId(), r.type(),
                            r.trigger(), r.runnerId(), r.startedAt(), r.finishedAt(), r.durationMs(), r.status(),
                            r.errorCode() == null ? null : new ErrorView(r.errorCode(), r.errorMessage()),
                            r.serverId() == null ? null : new ServerView(r.serverId(), r.serverHost(), r.serverPort(),
                                    r.fencingToken())))
                    .toList();
            RestResponse.ResponseBuilder<List<RunView>> response = RestResponse.ResponseBuilder.ok(page);
            if (page.size() == limit) {
                RunView last = page.get(page.size() - 1);
                String next = new RunsQuery.Cursor(last.startedAt(), last.eventId()).toString();
                response.header("Link", "<" + uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build()
                        + ">; rel=\"next\"");
            }
            return response.build();
        });
    }

    private static RunsQuery.Cursor cursor(String value) {
        try {
            return RunsQuery.Cursor.parse(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("cursor", e.getMessage());
        }
    }

    private static String status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.equals("ok") && !value.equals("failed")) {
            throw ProblemException.validation("status", "must be ok or failed, not '" + value + "'");
        }
        return value;
    }

    private static String errorCode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.matches("[a-z0-9_]{1,32}")) {
            throw ProblemException.validation("error_code",
                    "an error code is 1-32 lower-case letters, digits or '_' (e.g. ssh_unreachable)");
        }
        return value;
    }

    @GET
    @Path("/checks/{id}/schedule")
    @Operation(summary = "Next run and last run of a check; 404 for an unknown or foreign check")
    public Uni<ScheduleView> schedule(@PathParam("id") UUID checkId) {
        return checks.schedule(checkId).map(row -> row.filter(r -> caller.canRead(r.organizationId()))
                .map(r -> new ScheduleView(r.checkId(), r.deviceId(), r.type(), r.active(), r.schedule(), r.nextRunAt(),
                        r.requested(), r.runningBy() != null, r.runningBy(), r.claimedAt(), r.heartbeatAt(),
                        r.lastRunAt(), r.lastStatus(), r.lastErrorCode()))
                .orElseThrow(() -> ProblemException.notFound("check")));
    }
}
