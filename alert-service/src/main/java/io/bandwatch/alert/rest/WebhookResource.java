package io.bandwatch.alert.rest;

import io.bandwatch.platform.problem.ProblemException;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.rest.model.DeliveryView;
import io.bandwatch.alert.rest.model.WebhookInput;
import io.bandwatch.alert.rest.model.WebhookView;
import io.bandwatch.alert.webhook.WebhookTargets;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.platform.security.SecretBox;
import io.smallrye.common.annotation.Blocking;
import io.quarkus.security.Authenticated;
import io.bandwatch.alert.repository.WebhookRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
import java.util.List;
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

    @Inject
    WebhookRepository webhooks;

    private static WebhookView view(WebhookRepository.Webhook w) {
        return new WebhookView(w.id(), w.organizationId(), w.url(), w.active(), w.createdAt());
    }

    @GET
    @Operation(summary = "List the webhooks of the caller's organizations (operators and owners see them)")
    public Uni<List<WebhookView>> list() {
        return webhooks.list(pool, caller.readable()).map(list -> list.stream().map(WebhookResource::view).toList());
    }

    @POST
    @Operation(summary = "Add a webhook (operators and owners)")
    @APIResponse(responseCode = "201", description = "created; the secret is not returned",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "400", description = "a field is wrong, or the URL points to an internal address")
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
        return webhooks.insert(pool, id, input.organizationId(), input.url(), sealed, input.active() == null || input.active())
                .map(w -> Response.created(URI.create("/api/v1/webhooks/" + id)).entity(view(w)).build());
    }

    private Uni<WebhookRepository.Webhook> find(UUID id) {
        return webhooks.find(pool, id).map(found -> found.filter(w -> caller.canRead(w.organizationId()))
                .orElseThrow(() -> ProblemException.notFound("webhook " + id)));
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
        return find(id).chain(w -> {
            if (!caller.canWrite(w.organizationId())) {
                throw ProblemException.forbidden("operators and owners of the organization manage webhooks");
            }
            return webhooks.delete(pool, id);
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
        return find(id).chain(w -> webhooks.deliveries(pool, id, max))
                .map(list -> list.stream().map(d -> new DeliveryView(d.id(), d.webhookId(), d.notificationId(), d.status(),
                        d.attempts(), d.nextAttemptAt(), d.lastStatusCode(), d.lastError(), d.deliveredAt(), d.createdAt(),
                        d.attemptLog().stream().map(a -> new DeliveryView.Attempt(a.attempt(), a.at(), a.statusCode(),
                                a.error(), a.durationMs())).toList())).toList());
    }
}
