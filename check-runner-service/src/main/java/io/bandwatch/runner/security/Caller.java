package io.bandwatch.runner.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's organizations from the JWT ({@code orgs} claim); superusers and services see all. */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    public boolean seesAll() {
        return jwt.getGroups().contains("superuser") || jwt.getGroups().contains("service");
    }

    /** The organizations the caller belongs to (any role); null when the caller sees all. */
    public List<UUID> organizations() {
        if (seesAll()) {
            return null;
        }
        List<UUID> orgs = new ArrayList<>();
        Object claim = jwt.getClaim("orgs");
        if (claim instanceof JsonObject object) {
            for (String key : object.keySet()) {
                try {
                    orgs.add(UUID.fromString(key));
                } catch (IllegalArgumentException ignored) {
                    // not an organization id
                }
            }
        } else if (claim instanceof java.util.Map<?, ?> map) {
            for (Object key : map.keySet()) {
                try {
                    orgs.add(UUID.fromString(String.valueOf(key)));
                } catch (IllegalArgumentException ignored) {
                    // not an organization id
                }
            }
        }
        return orgs;
    }

    public boolean sees(UUID organization) {
        List<UUID> orgs = organizations();
        return orgs == null || orgs.contains(organization);
    }
}
