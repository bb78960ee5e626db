package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "app_user")
public class AppUser {
    @Id
    public UUID id;
    public String username;
    /** bcrypt, Modular Crypt Format. */
    @Column(name = "password_hash")
    public String passwordHash;
    public boolean superuser;
    /** A service account: its tokens carry only the group {@code service}. */
    public boolean service;
    public boolean enabled = true;
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
