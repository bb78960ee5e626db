package io.bandwatch.inventory.security;

import io.bandwatch.inventory.rest.Problem;
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
 * The authenticated caller of this request, from the JWT claims {@code upn}, {@code groups} and {@code orgs}.
 * Object-level rule: an object of an organization the caller is not a member of answers 404, exactly like
 * an id that does not exist; a member whose role is too low gets 403.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    private Map<UUID, Role> orgs;

    public String name() {
        return jwt.getName();
    }

    public boolean superuser() {
        return jwt.getGroups().contains("superuser");
    }

    public Map<UUID, Role> orgs() {
        if (orgs == null) {
            orgs = parseOrgs(jwt.getClaim("orgs"));
        }
        return orgs;
    }

    /** Organizations whose objects the caller may see; null means every organization (superuser). */
    public Set<UUID> visibleOrgs() {
        return superuser() ? null : orgs().keySet();
    }

    public boolean canSee(UUID org) {
        return superuser() || orgs().containsKey(org);
    }

    public boolean canSeeAny(Collection<UUID> orgIds) {
        return superuser() || orgIds.stream().anyMatch(orgs()::containsKey);
    }

    public boolean has(UUID org, Role role) {
        if (superuser()) {
            return true;
        }
        Role mine = orgs().get(org);
        return mine != null && mine.atLeast(role);
    }

    /** 404 when the organization is not visible, 403 when the role is too low. */
    public void require(UUID org, Role role, String what) {
        if (!canSee(org)) {
            throw Problem.notFound(what);
        }
        if (!has(org, role)) {
            throw Problem.forbidden("needs role " + role.jsonName() + " in the organization");
        }
    }

    private static Map<UUID, Role> parseOrgs(Object claim) {
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

    private static void put(Map<UUID, Role> result, String org, String role) {
        try {
            Role.parse(role).ifPresent(r -> result.put(UUID.fromString(org), r));
        } catch (IllegalArgumentException ignored) {
            // not an organization id: ignored
        }
    }
}
