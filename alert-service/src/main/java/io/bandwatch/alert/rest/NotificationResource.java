package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.alert.repository.NotificationRepository;
import io.bandwatch.alert.rest.model.NotificationView;
import io.bandwatch.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/notifications")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications", description = "problem and recovery notifications, newest first")
public class NotificationResource {

    @Inject
    Pool pool;

    @Inject
    Caller caller;

    @Inject
    NotificationRepository notifications;

    @GET
    @Operation(summary = "List notifications of the caller's organizations, filtered by device, type (problem|recovery), unread")
    public Uni<List<NotificationView>> list(@QueryParam("device_id") UUID deviceId, @QueryParam("type") String type,
            @QueryParam("unread") Boolean unread, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        if (type != null && !type.equals("problem") && !type.equals("recovery")) {
            throw ProblemException.validation("type", "type must be problem or recovery");
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.validation("limit", "limit must be between 1 and 1000");
        }
        if (offset < 0) {
            throw ProblemException.validation("offset", "offset must not be negative");
        }
        return notifications.list(pool, caller.readable(), deviceId, type, unread, limit, offset)
                .map(list -> list.stream().map(NotificationView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One notification")
    @APIResponse(responseCode = "404", description = "unknown or another organization's notification")
    @APIResponse(responseCode = "200", description = "the notification", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = NotificationView.class)))
    public Uni<NotificationView> get(@PathParam("id") UUID id) {
        return notifications.find(pool, id).map(found -> found
                .filter(n -> caller.canRead(n.notification().organizationId())).map(NotificationView::of)
                .orElseThrow(() -> ProblemException.notFound("notification " + id)));
    }

    @POST
    @Path("{id}/read")
    @Operation(summary = "Mark a notification read (any member of its organization)")
    @APIResponse(responseCode = "204", description = "marked read")
    public Uni<Response> markRead(@PathParam("id") UUID id) {
        return notifications.find(pool, id).chain(found -> {
            if (found.isEmpty() || !caller.canRead(found.get().notification().organizationId())) {
                throw ProblemException.notFound("notification " + id);
            }
            return notifications.markRead(pool, id);
        }).map(v -> Response.noContent().build());
    }
}
