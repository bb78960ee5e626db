package io.bandwatch.platform.security;

import java.util.Locale;
import java.util.Optional;

/** Role of a user in an organization (the values of the JWT {@code orgs} claim), from least to most privileged. */
public enum Role {
    /** Reads the organization's objects. */
    VIEWER,
    /** Also manages checks and alert settings. */
    OPERATOR,
    /** Also manages devices, servers, users and the organization. */
    OWNER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.jsonName().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
