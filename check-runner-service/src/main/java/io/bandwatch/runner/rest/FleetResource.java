package io.bandwatch.runner.rest;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Schedule;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.RunRepository;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.security.Caller;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the console's fleet overview, "Run now" live state and capacity line need from the runner: the last run
 * of many devices at once, where one check's run stands (queued, running on a server, finished) and the pool's
 * capacity against the schedules. Viewers of the organizations concerned, superusers and services.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"user", "superuser", "service"})
@Tag(name = "fleet")
@SecurityRequirement(name = "jwt")
@Blocking
public class FleetResource {

    static final int MAX_DEVICES = 500;
    static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    /** When no iperf3 run finished in the window: 10 s TCP + 10 s UDP (the defaults) + SSH and start-up. */
    static final double ESTIMATED_TEST_SECONDS = 25;
    static final double WARNING_UTILIZATION = 0.8;
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    @Inject
    CheckRepository checks;
    @Inject
    RunRepository runs;
    @Inject
    ServerRepository servers;
    @Inject
    LeaseManager leases;
    @Inject
    Caller caller;

    public record LastRun(UUID deviceId, UUID checkId, String checkType, String status, String errorCode,
            Instant finishedAt) {
    }

    public record LastRuns(List<LastRun> items) {
    }

    public record ServerView(UUID id, String host, int port) {
    }

    public record RunView(String status, String errorCode, String errorMessage, Instant finishedAt, long durationMs,
            String serverHost) {
    }

    /** state: idle (never ran), queued (asked or waiting for a server), running, finished (last run done). */
    public record Live(UUID checkId, String state, Long queuePosition, ServerView server, Instant since,
            RunView lastRun) {
    }

    public record Capacity(long servers, double meanTestSeconds, boolean meanFromRuns, double capacityTestsPerDay,
            double scheduledTestsPerDay, double utilization, boolean warning) {
    }

    @GET
    @Path("/runs/latest")
    @Operation(summary = "The last run of each listed device (device_id repeated, at most 500); others' devices left out")
    public LastRuns latest(@QueryParam("device_id") List<UUID> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ProblemException.validation("device_id", "at least one device id is needed");
        }
        if (ids.size() > MAX_DEVICES) {
            throw ProblemException.validation("device_id", "at most " + MAX_DEVICES + " devices per call");
        }
        Set<UUID> devices = new LinkedHashSet<>();
        devices.addAll(ids);
        Map<UUID, LastRun> byDevice = new HashMap<>();
        for (RunRepository.LastRun r : runs.latestOfDevices(devices, caller.readable()).await().atMost(DB_TIMEOUT)) {
            byDevice.put(r.deviceId(), new LastRun(r.deviceId(), r.checkId(), r.checkType(), r.status(), r.errorCode(),
                    r.finishedAt()));
        }
        List<LastRun> items = new ArrayList<>();
        devices.forEach(d -> {
            if (byDevice.containsKey(d)) {
                items.add(byDevice.get(d));
            }
        });
        return new LastRuns(items);
    }

    @GET
    @Path("/checks/{id}/live")
    @Operation(summary = "Where the check's run stands: queued (place in the server queue), running on a server, or finished with its last run")
    public Live live(@PathParam("id") UUID checkId) {
        CheckRepository.ClaimRow check = checks.claimOf(checkId).await().atMost(DB_TIMEOUT)
                .filter(c -> caller.canRead(c.organizationId()))
                .orElseThrow(() -> ProblemException.notFound("check " + checkId));
        RunView last = runs.lastOfCheck(checkId).await().atMost(DB_TIMEOUT)
                .map(r -> new RunView(r.status(), r.errorCode(), r.errorMessage(), r.finishedAt(), r.durationMs(),
                        r.serverHost()))
                .orElse(null);
        String runner = check.runningBy();
        UUID runId = check.runId();
        if (runner != null && runId != null) {
            List<ServerRef> pool = servers.visible(null).await().atMost(DB_TIMEOUT).stream()
                    .map(s -> new ServerRef(s.id(), s.host(), s.port())).toList();
            LeaseManager.RunPlace place = leases.place(runner, runId.toString(), pool);
            Instant claimed = check.claimedAt();
            if (place.server() != null) {
                ServerRef s = place.server();
                return new Live(checkId, "running", null, new ServerView(s.id(), s.host(), s.port()), place.since(),
                        last);
            }
            if (place.queuePosition() != null) {
                return new Live(checkId, "queued", place.queuePosition(), null, claimed, last);
            }
            // claimed and not waiting for a server: connecting, or a ping (no server)
            return new Live(checkId, "running", null, null, claimed, last);
        }
        if (check.requested()) {
            return new Live(checkId, "queued", null, null, null, last);
        }
        return new Live(checkId, last == null ? "idle" : "finished", null, null,
                last == null ? null : last.finishedAt(), last);
    }

    @GET
    @Path("/capacity")
    @Operation(summary = "iperf3 tests per day the server pool can serve (servers x 86400 / mean test seconds) against the tests per day the active schedules ask for")
    public Capacity capacity(@QueryParam("organization_id") UUID org) {
        java.util.Collection<UUID> visible = caller.readable();
        java.util.Collection<UUID> orgs;
        if (org != null) {
            if (visible != null && !visible.contains(org)) {
                throw ProblemException.notFound("organization " + org);
            }
            orgs = List.of(org);
        } else {
            orgs = visible;
        }
        long serverCount = servers.countEnabled(orgs).await().atMost(DB_TIMEOUT);
        Double mean = runs.meanIperf3Seconds(orgs).await().atMost(DB_TIMEOUT).orElse(null);
        boolean fromRuns = mean != null && mean > 0;
        double meanSeconds = fromRuns ? mean : ESTIMATED_TEST_SECONDS;
        double scheduled = 0;
        Map<String, Double> perSchedule = new HashMap<>();
        for (String schedule : checks.activeIperf3Schedules(orgs).await().atMost(DB_TIMEOUT)) {
            scheduled += perSchedule.computeIfAbsent(schedule, FleetResource::runsPerDay);
        }
        double capacity = serverCount * 86400.0 / meanSeconds;
        double utilization = capacity == 0 ? (scheduled > 0 ? Double.POSITIVE_INFINITY : 0) : scheduled / capacity;
        return new Capacity(serverCount, round(meanSeconds), fromRuns, round(capacity), round(scheduled),
                Double.isInfinite(utilization) ? 999 : Math.round(utilization * 10_000) / 10_000.0,
                utilization > WARNING_UTILIZATION);
    }

    /** Runs per day of a schedule (its JSON): 86400 / interval, or the cron's firings over the next 7 days / 7. */
    static double runsPerDay(String json) {
        try {
            Schedule schedule = EventJson.read(json.getBytes(StandardCharsets.UTF_8), Schedule.class);
            if (schedule.interval() != null) {
                return 86400.0 / Math.max(1, schedule.interval().toSeconds());
            }
            ExecutionTime execution = ExecutionTime.forCron(UNIX.parse(schedule.cron()));
            ZonedDateTime t = ZonedDateTime.now(ZoneId.of(schedule.timeZone()));
            ZonedDateTime end = t.plusDays(7);
            int n = 0;
            while (n < 7 * 1440) {
                var next = execution.nextExecution(t);
                if (next.isEmpty() || !next.get().isBefore(end)) {
                    break;
                }
                t = next.get();
                n++;
            }
            return n / 7.0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
