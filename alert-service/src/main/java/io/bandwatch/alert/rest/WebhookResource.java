package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.Problem;
import io.bandwatch.platform.problem.ProblemException;
import static io.bandwatch.alert.repository.Rows.instant;
import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.rest.model.DeliveryView;
import io.bandwatch.alert.rest.model.WebhookInput;
import io.bandwatch.alert.rest.model.WebhookView;
import io.bandwatch.alert.webhook.WebhookTargets;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.platform.security.SecretBox;
import io.smallrye.common.annotation.Blocking;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "per-organization HTTP POST of every notification, signed with "
        + "X-Bandwatch-Signature: sha256=<hex HMAC-SHA256 of the body>; the secret is write-only")
public class WebhookResource {

    @Inject
    Pool pool;

    @Inject
    Caller caller;

    @Inject
    WebhookTargets targets;

    @Inject
    AlertConfig config;

    @Inject
    SecretBox secrets;

    private static WebhookView view(Row r) {
        return new WebhookView(r.getUUID("id"), r.getUUID("organization_id"), r.getString("url"), r.getBoolean("active"),
                instant(r, "created_at"));
    }

    @GET
    @Operation(summary = "List the webhooks of the caller's organizations (operators and owners see them)")
    public Uni<List<WebhookView>> list() {
        java.util.Set<UUID> orgs = caller.readable();
        return pool.preparedQuery("SELECT * FROM webhook WHERE ($1::uuid[] IS NULL OR organization_id = ANY($1)) "
                + "ORDER BY created_at").execute(tuple((Object) (orgs == null ? null : orgs.toArray(UUID[]::new))))
                .map(rs -> {
                    List<WebhookView> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(view(r));
                    }
                    return list;
                });
    }

    @POST
    @Operation(summary = "Add a webhook (operators and owners)")
    @APIResponse(responseCode = "201", description = "created; the secret is not returned",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "400", description = "a field is wrong, or the URL points to an internal address",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @Blocking // the URL's host is resolved to check where it points
    public Uni<Response> create(@Valid @NotNull WebhookInput input) {
        if (!caller.canRead(input.organizationId())) {
            throw ProblemException.notFound("organization " + input.organizationId());
        }
        if (!caller.canWrite(input.organizationId())) {
            throw ProblemException.forbidden("operators and owners of the organization manage webhooks");
        }
        try {
            targets.checkNew(input.url());
        } catch (WebhookTargets.RefusedTarget e) {
            throw ProblemException.validation("url", e.getMessage());
        }
        UUID id = UUID.randomUUID();
        // encrypted at rest (AES-256-GCM, key id prefixed), bound to this webhook's id
        String sealed = secrets.encrypt(input.secret(), SecretBox.context("webhook", id));
        return pool.preparedQuery("INSERT INTO webhook (id, organization_id, url, secret, secret_encrypted, active) "
                + "VALUES ($1, $2, $3, $4, true, $5) RETURNING *").execute(tuple(id, input.organizationId(), input.url(), sealed,
                        input.active() == null || input.active()))
                .map(rs -> Response.created(URI.create("/api/v1/webhooks/" + id)).entity(view(rs.iterator().next())).build());
    }

    private Uni<Row> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM webhook WHERE id = $1").execute(tuple(id)).map(rs -> {
            if (rs.size() == 0 || !caller.canRead(rs.iterator().next().getUUID("organization_id"))) {
                throw ProblemException.notFound("webhook " + id);
            }
            return rs.iterator().next();
        });
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One webhook")
    public Uni<WebhookView> get(@PathParam("id") UUID id) {
        return find(id).map(WebhookResource::view);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook and its delivery log (operators and owners)")
    @APIResponse(responseCode = "204", description = "deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return find(id).chain(r -> {
            if (!caller.canWrite(r.getUUID("organization_id"))) {
                throw ProblemException.forbidden("operators and owners of the organization manage webhooks");
            }
            return pool.preparedQuery("DELETE FROM webhook WHERE id = $1").execute(tuple(id));
        }).map(v -> Response.noContent().build());
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The delivery log: each notification's delivery with every attempt, newest first")
    public Uni<List<DeliveryView>> deliveries(@PathParam("id") UUID id, @QueryParam("limit") Integer limit) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw ProblemException.validation("limit", "limit must be between 1 and 1000");
        }
        return find(id).chain(w -> pool.preparedQuery("SELECT d.*, a.attempt, a.at, a.status_code, a.error, a.duration_ms "
                + "FROM (SELECT * FROM webhook_delivery WHERE webhook_id = $1 ORDER BY created_at DESC LIMIT $2) d "
                + "LEFT JOIN webhook_attempt a ON a.delivery_id = d.id ORDER BY d.created_at DESC, d.id, a.attempt")
                .execute(tuple(id, max)))
                .map(rs -> {
                    Map<UUID, DeliveryView> byId = new LinkedHashMap<>();
                    for (Row r : rs) {
                        DeliveryView d = byId.computeIfAbsent(r.getUUID("id"), k -> new DeliveryView(k,
                                r.getUUID("webhook_id"), r.getUUID("notification_id"), r.getString("status"),
                                r.getInteger("attempts"), instant(r, "next_attempt_at"), r.getInteger("last_status_code"),
                                r.getString("last_error"), instant(r, "delivered_at"), instant(r, "created_at"),
                                new ArrayList<>()));
                        if (r.getInteger("attempt") != null) {
                            d.attemptLog().add(new DeliveryView.Attempt(r.getInteger("attempt"), instant(r, "at"),
                                    r.getInteger("status_code"), r.getString("error"), r.getLong("duration_ms")));
                        }
                    }
                    return List.copyOf(byId.values());
                });
    }
}
