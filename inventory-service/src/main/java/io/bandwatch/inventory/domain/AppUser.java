package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code app_user}. */
public class AppUser {
    public UUID id;
    public String username;
    /** bcrypt, Modular Crypt Format. */
    public String passwordHash;
    public boolean superuser;
    /** A service account: its tokens carry only the group {@code service}. */
    public boolean service;
    public boolean enabled = true;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
