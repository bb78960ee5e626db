package io.bandwatch.alert.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller from the JWT: {@code groups} and {@code orgs} (organization id → owner | operator | viewer).
 * Superusers read and write every organization; services read every organization; members read theirs, and
 * operators and owners write theirs.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    private Map<UUID, String> roles;

    public String name() {
        return jwt.getName();
    }

    public boolean superuser() {
        return jwt.getGroups().contains("superuser");
    }

    public boolean service() {
        return jwt.getGroups().contains("service");
    }

    /** Organization → role from the {@code orgs} claim. */
    public Map<UUID, String> roles() {
        if (roles == null) {
            Map<UUID, String> map = new LinkedHashMap<>();
            Object claim = jwt.getClaim("orgs");
            if (claim instanceof JsonObject object) {
                for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                    put(map, e.getKey(), e.getValue() instanceof JsonString s ? s.getString() : String.valueOf(e.getValue()));
                }
            } else if (claim instanceof Map<?, ?> m) {
                m.forEach((k, v) -> put(map, String.valueOf(k), String.valueOf(v)));
            }
            roles = map;
        }
        return roles;
    }

    private static void put(Map<UUID, String> map, String key, String role) {
        try {
            map.put(UUID.fromString(key), role.replace("\"", ""));
        } catch (IllegalArgumentException ignored) {
            // not an organization id
        }
    }

    /** The organizations the caller may read; null when it may read all. */
    public List<UUID> readable() {
        return superuser() || service() ? null : List.copyOf(roles().keySet());
    }

    public boolean canRead(UUID org) {
        return superuser() || service() || roles().containsKey(org);
    }

    public boolean canWrite(UUID org) {
        if (superuser()) {
            return true;
        }
        String role = Optional.ofNullable(roles().get(org)).orElse("");
        return role.equals("owner") || role.equals("operator");
    }
}
