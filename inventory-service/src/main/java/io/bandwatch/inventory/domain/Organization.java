package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code organization}. */
public class Organization {
    public UUID id;
    public String name;
    public boolean enabled = true;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
