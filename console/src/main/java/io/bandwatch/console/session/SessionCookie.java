package io.bandwatch.console.session;

import io.bandwatch.console.config.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The session cookie {@code bw_session}: {@code Path=/; HttpOnly; SameSite=Strict}, plus {@code Secure} when the
 * request came over TLS ({@code X-Forwarded-Proto: https}, an https request, or
 * {@code bandwatch.console.secure-cookie=true}).
 */
@ApplicationScoped
public class SessionCookie {

    public static final String NAME = "bw_session";

    @Inject
    ConsoleConfig config;

    public String id(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(NAME);
        return cookie == null ? null : cookie.getValue();
    }

    public String id(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(NAME);
        return cookie == null ? null : cookie.getValue();
    }

    /** The Set-Cookie value for a new session, living until the session's token expires. */
    public String set(String id, long maxAgeSeconds, boolean tls) {
        return NAME + "=" + id + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (tls || config.secureCookie() ? "; Secure" : "");
    }

    /** The Set-Cookie value that removes the cookie. */
    public String clear(boolean tls) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (tls || config.secureCookie() ? "; Secure" : "");
    }

    /** Whether the browser reached us over TLS (directly or through a proxy that says so). */
    public static boolean tls(HttpHeaders headers, String scheme) {
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        if (proto != null) {
            return "https".equalsIgnoreCase(proto.split(",")[0].trim());
        }
        return "https".equalsIgnoreCase(scheme);
    }
}
