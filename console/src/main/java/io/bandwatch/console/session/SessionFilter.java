package io.bandwatch.console.session;

import io.bandwatch.console.config.ConsoleConfig;
import io.bandwatch.console.rest.ConsoleProblems;
import io.bandwatch.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every {@code /console/api/**} call: an {@code Origin} header, when present, must be the console's own;
 * a valid session is needed (else 401) except for the login itself; every non-GET/HEAD call must carry
 * {@code X-CSRF-Token} equal to the session's token (else 403, compared in constant time).
 */
public class SessionFilter {

    public static final String API = "/console/api/";
    public static final String LOGIN = "/console/api/session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    SessionStore store;
    @Inject
    SessionCookie cookie;
    @Inject
    CurrentSession current;
    @Inject
    ConsoleConfig config;

    @ServerRequestFilter
    public Uni<Response> guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path == null || !(path.startsWith(API) || path.equals("/console/api"))) {
            return null;
        }
        String method = request.getMethod();
        String origin = request.getHeaderString("Origin");
        if (origin != null && !origin.equals(ownOrigin(request))) {
            return Uni.createFrom().item(ProblemException.forbidden("cross-origin request refused").toResponse(path));
        }
        if ("POST".equals(method) && LOGIN.equals(path)) {
            return null;
        }
        String id = cookie.id(request);
        return store.find(id).map(session -> {
            if (session == null) {
                return ConsoleProblems.noSession().toResponse(path);
            }
            if (!SAFE.contains(method)
                    && !SessionStore.sameToken(session.csrfToken(), request.getHeaderString(CSRF_HEADER))) {
                return ProblemException.forbidden("missing or wrong " + CSRF_HEADER + " header").toResponse(path);
            }
            current.set(id, session);
            return null;
        });
    }

    private String ownOrigin(ContainerRequestContext request) {
        if (config.origin().isPresent()) {
            return config.origin().get();
        }
        String proto = request.getHeaderString("X-Forwarded-Proto");
        String scheme = proto != null ? proto.split(",")[0].trim() : request.getUriInfo().getRequestUri().getScheme();
        String host = request.getHeaderString("X-Forwarded-Host");
        if (host == null) {
            host = request.getHeaderString("Host");
        }
        return scheme + "://" + (host == null ? "" : host.split(",")[0].trim());
    }
}
