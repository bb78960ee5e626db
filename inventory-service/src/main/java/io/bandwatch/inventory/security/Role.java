package io.bandwatch.inventory.security;

import java.util.Locale;
import java.util.Optional;

/** Role of a user in an organization, from least to most privileged. */
public enum Role {
    VIEWER,
    OPERATOR,
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
