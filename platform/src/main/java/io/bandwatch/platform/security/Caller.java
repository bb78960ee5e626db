package io.bandwatch.platform.security;

import io.bandwatch.platform.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of this request, from the JWT claims {@code upn}, {@code groups} and {@code orgs}
 * (organization id → {@code owner} | {@code operator} | {@code viewer}), the same in every service:
 * <ul>
 * <li>a member reads its organizations (any role), writes them as operator or owner, administers them as owner;</li>
 * <li>{@code superuser} reads and writes every organization;</li>
 * <li>{@code service} (service-to-service calls) reads every organization and writes none.</li>
 * </ul>
 * Object-level rule: another organization's object answers 404 like an unknown id; a member whose role is
 * too low gets 403 ({@link #require}).
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    /** Organizations revoked in tokens (null in a caller made outside CDI: nothing revoked). */
    @Inject
    TokenRevocations revocations;

    private Map<UUID, Role> roles;

    public Caller() {
    }

    /** A caller of this token (tests, and code outside a request). */
    public Caller(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public String name() {
        return jwt.getName();
    }

    public boolean superuser() {
        return jwt.getGroups().contains("superuser");
    }

    public boolean service() {
        return jwt.getGroups().contains("service");
    }

    /** Superusers and services read every organization. */
    public boolean readsAll() {
        return superuser() || service();
    }

    /**
     * Organization → role of the {@code orgs} claim (entries that are not an organization id and a role are left out),
     * without the organizations revoked in this token since it was issued (membership removed or role changed,
     * organization disabled: {@link TokenRevocations}).
     */
    public Map<UUID, Role> roles() {
        if (roles == null) {
            roles = parse(jwt.getClaim("orgs"));
            if (revocations != null) {
                roles = revocations.withoutRevoked(TokenRevocations.userOf(jwt.getSubject()), roles,
                        jwt.getIssuedAtTime());
            }
        }
        return roles;
    }

    /** The organizations the caller may read; null when it reads every organization. */
    public Set<UUID> readable() {
        return readsAll() ? null : roles().keySet();
    }

    public boolean canRead(UUID organization) {
        return readsAll() || roles().containsKey(organization);
    }

    public boolean canReadAny(Collection<UUID> organizations) {
        return readsAll() || organizations.stream().anyMatch(roles()::containsKey);
    }

    /** Operators and owners of the organization, and superusers. */
    public boolean canWrite(UUID organization) {
        return has(organization, Role.OPERATOR);
    }

    /** Owners of the organization, and superusers. */
    public boolean isOwner(UUID organization) {
        return has(organization, Role.OWNER);
    }

    /** The caller's role in the organization is at least {@code role} (superusers have every role). */
    public boolean has(UUID organization, Role role) {
        if (superuser()) {
            return true;
        }
        Role mine = roles().get(organization);
        return mine != null && mine.atLeast(role);
    }

    /** 404 ("{@code what} not found") when the caller cannot read the organization. */
    public void requireRead(UUID organization, String what) {
        if (!canRead(organization)) {
            throw ProblemException.notFound(what);
        }
    }

    /** 404 when the organization is not readable, 403 when the role is too low. */
    public void require(UUID organization, Role role, String what) {
        requireRead(organization, what);
        if (!has(organization, role)) {
            throw ProblemException.forbidden("needs role " + role.jsonName() + " in the organization");
        }
    }

    private static Map<UUID, Role> parse(Object claim) {
        Map<UUID, Role> result = new HashMap<>();
        if (claim instanceof JsonObject json) {
            for (Map.Entry<String, JsonValue> e : json.entrySet()) {
                if (e.getValue() instanceof JsonString s) {
                    put(result, e.getKey(), s.getString());
                }
            }
        } else if (claim instanceof Map<?, ?> map) {
            map.forEach((k, v) -> put(result, String.valueOf(k), String.valueOf(v).replace("\"", "")));
        }
        return Map.copyOf(result);
    }

    private static void put(Map<UUID, Role> result, String organization, String role) {
        try {
            Role.parse(role).ifPresent(r -> result.put(UUID.fromString(organization), r));
        } catch (IllegalArgumentException ignored) {
            // not an organization id
        }
    }
}
