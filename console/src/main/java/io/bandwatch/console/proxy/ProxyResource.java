package io.bandwatch.console.proxy;

import io.bandwatch.console.client.Service;
import io.bandwatch.console.client.ServiceClient;
import io.bandwatch.console.rest.ConsoleProblems;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.console.session.CurrentSession;
import io.bandwatch.console.session.SessionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code /console/api/{service}/{path}} to that service's {@code /api/v1/{path}}: same method, query, body and
 * {@code Content-Type}, {@code Accept}, {@code If-Match}, plus {@code Authorization: Bearer <session token>}; the
 * answer's status, body, {@code Content-Type}, {@code ETag}, {@code Location} (rewritten to the console path),
 * {@code Content-Disposition} and {@code Retry-After} come back unchanged. Refused (404): {@code inventory/auth/**}
 * and {@code * /internal/**}. The services authorize every call; the console adds no power.
 */
@Path("/console/api/{service: inventory|runner|metrics|alert}/{path: .+}")
@Tag(name = "proxy")
public class ProxyResource {

    private static final Logger LOG = Logger.getLogger(ProxyResource.class);

    /** What each forwarding operation answers (the documents of the four services say what that is). */
    static final String FORWARDED = "the service's answer as it gave it: status (2xx or a problem), body, and the"
            + " headers Content-Type, ETag, Content-Disposition and Retry-After";

    static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "If-Match");
    static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "ETag", "Content-Disposition",
            "Retry-After");

    @Inject
    ServiceClient client;
    @Inject
    CurrentSession current;
    @Inject
    SessionStore store;

    @GET
    @Operation(summary = "Forward a GET to the service as the signed-in user")
    @APIResponse(responseCode = "200", description = FORWARDED, content = @Content(mediaType = "*/*"))
    public Uni<Response> get(@PathParam("service") String service, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(HttpMethod.GET, service, uri, headers, null);
    }

    @POST
    @Operation(summary = "Forward a POST (needs X-CSRF-Token)")
    @APIResponse(responseCode = "200", description = FORWARDED, content = @Content(mediaType = "*/*"))
    public Uni<Response> post(@PathParam("service") String service, @Context UriInfo uri, @Context HttpHeaders headers,
            byte[] body) {
        return forward(HttpMethod.POST, service, uri, headers, body);
    }

    @PUT
    @Operation(summary = "Forward a PUT (needs X-CSRF-Token)")
    @APIResponse(responseCode = "200", description = FORWARDED, content = @Content(mediaType = "*/*"))
    public Uni<Response> put(@PathParam("service") String service, @Context UriInfo uri, @Context HttpHeaders headers,
            byte[] body) {
        return forward(HttpMethod.PUT, service, uri, headers, body);
    }

    @PATCH
    @Operation(summary = "Forward a PATCH (needs X-CSRF-Token)")
    @APIResponse(responseCode = "200", description = FORWARDED, content = @Content(mediaType = "*/*"))
    public Uni<Response> patch(@PathParam("service") String service, @Context UriInfo uri,
            @Context HttpHeaders headers, byte[] body) {
        return forward(HttpMethod.PATCH, service, uri, headers, body);
    }

    @DELETE
    @Operation(summary = "Forward a DELETE (needs X-CSRF-Token)")
    @APIResponse(responseCode = "200", description = FORWARDED, content = @Content(mediaType = "*/*"))
    public Uni<Response> delete(@PathParam("service") String service, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return forward(HttpMethod.DELETE, service, uri, headers, null);
    }

    private Uni<Response> forward(HttpMethod method, String name, UriInfo uri, HttpHeaders headers, byte[] body) {
        Service service = Service.of(name);
        String instance = uri.getPath();
        String prefix = "/console/api/" + name + "/";
        String raw = uri.getRequestUri().getRawPath();
        if (service == null || !raw.startsWith(prefix) || refused(service, raw.substring(prefix.length()))) {
            return Uni.createFrom().item(ConsoleProblems.notFound("no such resource").toResponse(instance));
        }
        String query = uri.getRequestUri().getRawQuery();
        String target = "/api/v1/" + raw.substring(prefix.length()) + (query == null ? "" : "?" + query);
        HttpRequest<Buffer> request = client.request(service, method, target)
                .putHeader("Authorization", "Bearer " + current.jwt());
        for (String header : REQUEST_HEADERS) {
            String value = headers.getHeaderString(header);
            if (value != null) {
                request.putHeader(header, value);
            }
        }
        Buffer buffer = body == null || (body.length == 0 && method == HttpMethod.DELETE) ? null : Buffer.buffer(body);
        return client.send(service, request, buffer)
                .chain(response -> answer(service, response, instance))
                .onFailure(ProblemException.class).recoverWithItem(e -> ((ProblemException) e).toResponse(instance));
    }

    private Uni<Response> answer(Service service, HttpResponse<Buffer> response, String instance) {
        if (response.statusCode() == 401) {
            // the token expired or was revoked: the session ends here, nothing is refreshed
            String id = current.id();
            LOG.infof("console session of user %s ended: %s refused its token", current.get().username(),
                    service.displayName());
            return store.delete(id).map(v -> ProblemException.unauthorized("your session has ended: sign in again")
                    .toResponse(instance));
        }
        Response.ResponseBuilder builder = Response.status(response.statusCode());
        Buffer body = response.body();
        if (body != null && body.length() > 0) {
            builder.entity(body.getBytes());
        }
        for (String header : RESPONSE_HEADERS) {
            String value = response.getHeader(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        String location = rewriteLocation(service, response.getHeader("Location"));
        if (location != null) {
            builder.header("Location", location);
        }
        String link = rewriteLink(service, response.getHeader("Link"));
        if (link != null) {
            builder.header("Link", link);
        }
        builder.header("Cache-Control", "no-store");
        return Uni.createFrom().item(builder.build());
    }

    /**
     * Whether a path below the service is refused: {@code internal/**} of every service, {@code auth/**} of
     * inventory, and anything with an empty, {@code .} or {@code ..} segment or an encoded slash or backslash
     * (so no spelling reaches a refused path).
     */
    static boolean refused(Service service, String rawPath) {
        if (rawPath.isEmpty()) {
            return true;
        }
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return true;
            }
            boolean last = i == segments.length - 1;
            if ((decoded.isEmpty() && !last) || decoded.equals(".") || decoded.equals("..") || decoded.contains("/")
                    || decoded.contains("\\") || decoded.indexOf(';') >= 0) {
                return true;
            }
            if (i == 0) {
                String first = decoded.toLowerCase(Locale.ROOT);
                if (first.equals("internal") || (service == Service.INVENTORY && first.equals("auth"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A {@code Link: <url>; rel="next"} header (the runner's run pages) with its URL as a console path. */
    static String rewriteLink(Service service, String link) {
        if (link == null || !link.startsWith("<") || link.indexOf('>') < 0) {
            return null;
        }
        int end = link.indexOf('>');
        String target = rewriteLocation(service, link.substring(1, end));
        return target == null ? null : "<" + target + ">" + link.substring(end + 1);
    }

    /** A service's {@code Location} ({@code .../api/v1/x}) as the console path {@code /console/api/{service}/x}. */
    static String rewriteLocation(Service service, String location) {
        if (location == null) {
            return null;
        }
        try {
            URI parsed = URI.create(location);
            String path = parsed.getRawPath();
            if (path == null || !path.startsWith("/api/v1/")) {
                return null;
            }
            String query = parsed.getRawQuery();
            return "/console/api/" + service.segment() + "/" + path.substring("/api/v1/".length())
                    + (query == null ? "" : "?" + query);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
