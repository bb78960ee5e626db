package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.alert.repository.SettingRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The devices with an active alert setting in problem, optionally on one metric field: the console's "failing
 * metric" filter of the fleet list. Only devices of organizations the caller reads.
 */
@Path("/api/v1/failing-devices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alert settings")
public class FailingDevicesResource {

    static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final int MAX = 10_000;

    @Inject
    Pool pool;

    @Inject
    Caller caller;

    @Inject
    SettingRepository settings;

    public record FailingDevices(List<UUID> deviceIds, boolean truncated) {
    }

    @GET
    @Operation(summary = "Ids of devices with an active setting in problem (on field, if given), at most 10 000")
    public Uni<FailingDevices> list(@QueryParam("field") String field,
            @QueryParam("organization_id") UUID org) {
        if (field != null && !field.isBlank() && !FIELD.matcher(field).matches()) {
            throw ProblemException.validation("field", "not a metric field name");
        }
        java.util.Collection<UUID> readable = caller.readable();
        return settings.devicesInProblem(pool, field == null || field.isBlank() ? null : field, org, readable, MAX + 1)
                .map(ids -> {
            boolean truncated = ids.size() > MAX;
            return new FailingDevices(truncated ? ids.subList(0, MAX) : ids, truncated);
        });
    }
}
