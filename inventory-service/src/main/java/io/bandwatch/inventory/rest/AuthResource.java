package io.bandwatch.inventory.rest;

import io.bandwatch.inventory.config.InventoryConfig;
import io.bandwatch.inventory.api.Models.TokenRequest;
import io.bandwatch.inventory.api.Models.TokenResponse;
import io.bandwatch.inventory.security.LoginThrottle;
import io.bandwatch.inventory.service.AuthService;
import io.bandwatch.platform.net.Cidr;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.ProblemMappers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

@Path("/api/v1/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);

    @Inject
    AuthService auth;

    @Inject
    LoginThrottle throttle;

    private final List<Cidr> trustedProxies;

    @Inject
    public AuthResource(InventoryConfig config) {
        this.trustedProxies = config.auth().loginThrottle().trustedProxies().stream().filter(s -> !s.isBlank())
                .map(Cidr::parse).toList();
    }

    @POST
    @Path("/token")
    @PermitAll
    @Operation(summary = "Exchange user name and password for a signed JWT (RS256); repeated wrong passwords make "
            + "further attempts of that user name or source wait (429 with Retry-After)")
    @APIResponse(responseCode = "200", description = "access_token, token_type Bearer, expires_in seconds; never cached",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "a field is missing or wrong")
    @APIResponse(responseCode = "401", description = "invalid user name or password")
    @APIResponse(responseCode = "429", description = "too many wrong passwords for this user name or from this source")
    public Uni<Response> token(@NotNull @Valid @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = TokenRequest.class), examples = @ExampleObject(name = "sign-in",
                    summary = "a user signs in", value = "{\"username\": \"ada\", \"password\": \"correct horse battery\"}")))
            TokenRequest request, @Context HttpServerRequest http) {
        String source = source(http);
        String user = printable(request.username());
        Optional<Duration> wait = throttle.waitFor(request.username(), source);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            LOG.warnf("sign-in of user '%s' from %s throttled for %d s after repeated wrong passwords", user, source,
                    seconds);
            return Uni.createFrom().item(Response.fromResponse(ProblemMappers.respond(new ProblemException(429,
                    "too-many-attempts", "Too Many Requests", "too many wrong passwords for this user name or from "
                            + "this address: try again in " + seconds + " s", null), http))
                    .header("Retry-After", seconds).header("Cache-Control", "no-store").build());
        }
        return auth.token(request.username(), request.password())
                .invoke(() -> throttle.succeeded(request.username()))
                .onFailure(ProblemException.class).invoke(e -> {
                    if (((ProblemException) e).status() == 401) {
                        throttle.failed(request.username(), source);
                        LOG.infof("token refused for user '%s' from %s: unknown user, disabled user or wrong password",
                                user, source);
                    }
                })
                .map(token -> Response.ok(token).header("Cache-Control", "no-store").build());
    }

    /** The client's address; behind a trusted proxy (the console) the last address it added to X-Forwarded-For. */
    private String source(HttpServerRequest http) {
        String remote = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        String forwarded = http.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank() || !trusted(remote)) {
            return remote;
        }
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].strip();
        return last.matches("[0-9a-fA-F:.]{2,45}") ? last : remote;
    }

    private boolean trusted(String address) {
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return trustedProxies.stream().anyMatch(c -> c.contains(bytes));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A user name fit for a log line: no control characters, at most 64 characters. */
    private static String printable(String name) {
        String clean = name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
