package io.bandwatch.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.console.client.Service;
import io.bandwatch.console.client.ServiceClient;
import io.bandwatch.console.session.CurrentSession;
import io.bandwatch.console.session.Session;
import io.bandwatch.console.session.SessionCookie;
import io.bandwatch.console.session.SessionStore;
import io.bandwatch.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Sign-in, the current session and sign-out. The password goes to inventory-service
 * ({@code POST /api/v1/auth/token}) and nowhere else; the token it answers stays in Redis.
 */
@Path("/console/api/session")
@Tag(name = "session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);

    @Inject
    ServiceClient services;
    @Inject
    SessionStore store;
    @Inject
    SessionCookie cookie;
    @Inject
    CurrentSession current;
    @Inject
    ObjectMapper json;

    public record LoginRequest(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 200) String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in: user name and password (checked by inventory-service) -> session cookie")
    @APIResponse(responseCode = "200", description = "the session view; Set-Cookie bw_session (HttpOnly, SameSite=Strict)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Session.View.class)))
    @APIResponse(responseCode = "401", description = "wrong user name or password")
    @APIResponse(responseCode = "429", description = "inventory-service throttles sign-ins (Retry-After)")
    public Uni<Response> login(@NotNull @Valid LoginRequest login, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context io.vertx.core.http.HttpServerRequest http) {
        boolean tls = SessionCookie.tls(headers, uri.getRequestUri().getScheme());
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(Map.of("username", login.username(), "password", login.password())));
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        // inventory throttles sign-ins per source: it reads the browser's address from the last hop we add here
        String peer = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String chain = headers.getHeaderString("X-Forwarded-For");
        var request = services.request(Service.INVENTORY, HttpMethod.POST, "/api/v1/auth/token")
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
        if (peer != null) {
            request.putHeader("X-Forwarded-For", chain == null || chain.isBlank() ? peer : chain + ", " + peer);
        }
        return services.send(Service.INVENTORY, request, body).chain(response -> {
            int status = response.statusCode();
            if (status == 429) {
                throw ConsoleProblems.tooManyRequests("too many sign-in attempts: try again later",
                        response.getHeader("Retry-After"));
            }
            if (status == 400 || status == 401 || status == 403 || status == 404) {
                LOG.infof("console sign-in refused for user %s", login.username());
                throw ProblemException.unauthorized("wrong user name or password");
            }
            if (status != 200) {
                throw ConsoleProblems.badAnswer(Service.INVENTORY.displayName(), status);
            }
            JsonNode token;
            try {
                token = json.readTree(response.body().getBytes());
            } catch (IOException e) {
                throw ConsoleProblems.badAnswer(Service.INVENTORY.displayName(), status);
            }
            String jwt = token.path("access_token").asText(null);
            long expiresIn = token.path("expires_in").asLong(0);
            if (jwt == null || expiresIn <= 0) {
                throw ConsoleProblems.badAnswer(Service.INVENTORY.displayName(), status);
            }
            Claims claims = Claims.of(jwt, json);
            if (claims.groups().contains("service")) {
                LOG.infof("console sign-in refused for service account %s", login.username());
                throw ProblemException.forbidden("service accounts cannot sign in to the console");
            }
            Instant expiresAt = Instant.now().plusSeconds(expiresIn);
            return organizations(jwt, claims).chain(orgs -> {
                Session session = new Session(claims.username() == null ? login.username() : claims.username(), jwt,
                        SessionStore.randomToken(), claims.groups().contains("superuser"), claims.orgs(), orgs,
                        expiresAt);
                return store.create(session).map(id -> {
                    LOG.infof("console sign-in: user %s", session.username());
                    return Response.ok(session.view()).header("Set-Cookie", cookie.set(id, expiresIn, tls))
                            .header("Cache-Control", "no-store").build();
                });
            });
        });
    }

    @GET
    @Operation(summary = "The current session (user, organizations with roles, CSRF token, expiry); never a token")
    @APIResponse(responseCode = "200", description = "the session view; never cached", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = Session.View.class)))
    @APIResponse(responseCode = "401", description = "no valid session")
    public Response get() {
        return Response.ok(current.get().view()).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Operation(summary = "Sign out: the session is deleted and the cookie cleared (needs X-CSRF-Token)")
    @APIResponse(responseCode = "204", description = "signed out")
    public Uni<Response> logout(@Context HttpHeaders headers, @Context UriInfo uri) {
        boolean tls = SessionCookie.tls(headers, uri.getRequestUri().getScheme());
        String username = current.get().username();
        return store.delete(current.id()).map(v -> {
            LOG.infof("console sign-out: user %s", username);
            return Response.noContent().header("Set-Cookie", cookie.clear(tls)).build();
        });
    }

    /** The user's organizations with names (from inventory, as the user) and roles (from the token). */
    private Uni<List<Session.OrganizationView>> organizations(String jwt, Claims claims) {
        return services.getJson(Service.INVENTORY, "/api/v1/organizations?page=0&size=500", jwt)
                .map(page -> {
                    List<Session.OrganizationView> out = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (JsonNode org : page.path("items")) {
                        String id = org.path("id").asText();
                        String role = claims.orgs().get(id);
                        if (role == null && !claims.groups().contains("superuser")) {
                            continue;
                        }
                        seen.add(id);
                        out.add(new Session.OrganizationView(id, org.path("name").asText(null),
                                role == null ? "superuser" : role));
                    }
                    claims.orgs().forEach((id, role) -> {
                        if (!seen.contains(id)) {
                            out.add(new Session.OrganizationView(id, null, role));
                        }
                    });
                    return out;
                })
                // the names are a convenience: without them the session still works, with ids and roles
                .onFailure().recoverWithItem(() -> {
                    List<Session.OrganizationView> out = new ArrayList<>();
                    claims.orgs().forEach((id, role) -> out.add(new Session.OrganizationView(id, null, role)));
                    return out;
                });
    }

    /** The claims the console needs, read from the token inventory has just issued (it does not re-verify them). */
    record Claims(String username, Set<String> groups, Map<String, String> orgs) {
        static Claims of(String jwt, ObjectMapper json) {
            String[] parts = jwt.split("\\.");
            if (parts.length < 2) {
                throw ConsoleProblems.badAnswer(Service.INVENTORY.displayName(), 200);
            }
            try {
                JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
                Set<String> groups = new HashSet<>();
                payload.path("groups").forEach(g -> groups.add(g.asText()));
                Map<String, String> orgs = new LinkedHashMap<>();
                payload.path("orgs").fields().forEachRemaining(e -> orgs.put(e.getKey(), e.getValue().asText()));
                return new Claims(payload.path("upn").asText(null), groups, orgs);
            } catch (IOException | IllegalArgumentException e) {
                throw ConsoleProblems.badAnswer(Service.INVENTORY.displayName(), 200);
            }
        }
    }
}
