package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "device")
public class Device {
    @Id
    public UUID id;
    @Column(name = "organization_id")
    public UUID organizationId;
    public String name;
    public String address;
    @Column(name = "ssh_port")
    public int sshPort;
    @Column(name = "ssh_user")
    public String sshUser;
    /** key or password. */
    @Column(name = "auth_method")
    public String authMethod;
    /** AES-GCM ciphertext of the JSON {@code {"private_key", "password"}}; never leaves the service but decrypted for a run. */
    @Column(name = "secret_ciphertext")
    public String secretCiphertext;
    @Column(name = "host_key_fingerprint")
    public String hostKeyFingerprint;
    /** JSON array of strings. */
    public String tags;
    public boolean enabled = true;
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
