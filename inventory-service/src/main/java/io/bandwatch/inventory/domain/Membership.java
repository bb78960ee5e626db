package io.bandwatch.inventory.domain;

import java.util.UUID;

/** A row of {@code membership}. */
public class Membership {
    public UUID userId;
    public UUID organizationId;
    /** owner, operator or viewer. */
    public String role;
}
