package io.bandwatch.metrics.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may read what, from the JWT: {@code superuser} and {@code service} read every organization; a
 * {@code user} reads the organizations of its {@code orgs} claim (any role: viewer, operator, owner).
 */
@RequestScoped
public class OrganizationAccess {

    @Inject
    JsonWebToken jwt;

    public boolean canRead(UUID organizationId) {
        if (jwt.getGroups().contains("superuser") || jwt.getGroups().contains("service")) {
            return true;
        }
        Object orgs = jwt.getClaim("orgs");
        if (orgs instanceof JsonObject object) {
            JsonValue role = object.get(organizationId.toString());
            return role != null && role.getValueType() == JsonValue.ValueType.STRING;
        }
        if (orgs instanceof java.util.Map<?, ?> map) {
            return map.containsKey(organizationId.toString());
        }
        return false;
    }
}
