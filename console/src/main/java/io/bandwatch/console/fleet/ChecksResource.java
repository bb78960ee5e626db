package io.bandwatch.console.fleet;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.console.rest.ConsoleProblems;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.console.session.CurrentSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the check form and the "Run now" button need: the schedule preview and the run's live state. */
@Path("/console/api/checks")
@Tag(name = "checks")
@Produces(MediaType.APPLICATION_JSON)
public class ChecksResource {

    /** Five fields, as inventory and the runner accept them (events' Schedule.CRON_REGEX). */
    static final Pattern CRON = Pattern.compile("^[0-9A-Za-z*,/-]+( [0-9A-Za-z*,/-]+){4}$");
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    @Inject
    FleetService fleet;
    @Inject
    CurrentSession session;

    public record NextRuns(List<Instant> next) {
    }

    @GET
    @Path("/next-runs")
    @Operation(summary = "The next run times of a cron expression in a time zone (without the random slip)")
    public NextRuns nextRuns(@QueryParam("cron") String cron, @QueryParam("tz") @DefaultValue("UTC") String tz,
            @QueryParam("count") @DefaultValue("3") int count) {
        if (cron == null || cron.length() > 100 || !CRON.matcher(cron.trim()).matches()) {
            throw ProblemException.validation("cron", "five fields: minute hour day-of-month month day-of-week");
        }
        if (count < 1 || count > 20) {
            throw ProblemException.validation("count", "must be between 1 and 20");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw ProblemException.validation("tz", "not an IANA time zone");
        }
        ExecutionTime execution;
        try {
            var parsed = UNIX.parse(cron.trim());
            parsed.validate();
            execution = ExecutionTime.forCron(parsed);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("cron", "not a valid cron expression: " + e.getMessage());
        }
        List<Instant> next = new ArrayList<>();
        ZonedDateTime t = ZonedDateTime.now(zone);
        while (next.size() < count) {
            var n = execution.nextExecution(t);
            if (n.isEmpty()) {
                break;
            }
            t = n.get();
            next.add(t.toInstant());
        }
        if (next.isEmpty()) {
            throw ProblemException.validation("cron", "never fires");
        }
        return new NextRuns(next);
    }

    @GET
    @Path("/{id}/live")
    @Operation(summary = "Where the check's run stands: idle, queued (place in the server queue), running (on which server), finished (last run)")
    public Uni<JsonNode> live(@PathParam("id") String id) {
        UUID checkId;
        try {
            checkId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ConsoleProblems.notFound("no such check");
        }
        return fleet.live(checkId, session.jwt());
    }
}
