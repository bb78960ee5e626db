package io.bandwatch.console.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A signed-in user as kept in Redis under {@code bw:console:session:<id>}. The JWT never leaves the console:
 * {@link #view()} is what the browser gets.
 *
 * @param orgs organization id to role, from the token's {@code orgs} claim
 */
public record Session(String username, String jwt, String csrfToken, boolean superuser, Map<String, String> orgs,
        List<OrganizationView> organizations, Instant expiresAt) {

    /** One organization the user sees, with the user's role in it ({@code superuser} for a superuser's others). */
    public record OrganizationView(String id, String name, String role) {
    }

    /** What {@code GET /console/api/session} answers; no token but the CSRF token. */
    public record View(String username, boolean superuser, List<OrganizationView> organizations, String csrfToken,
            Instant expiresAt) {
    }

    public View view() {
        return new View(username, superuser, organizations, csrfToken, expiresAt);
    }

    @Override
    public String toString() {
        return "Session[username=" + username + ", expiresAt=" + expiresAt + "]";
    }
}
