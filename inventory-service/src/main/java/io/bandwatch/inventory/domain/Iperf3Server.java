package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "iperf3_server")
public class Iperf3Server {
    @Id
    public UUID id;
    public String host;
    public int port;
    public boolean enabled = true;
    @Column(name = "auth_username")
    public String authUsername;
    /** AES-GCM ciphertext of the iperf3 password. */
    @Column(name = "auth_password")
    public String authPassword;
    @Column(name = "rsa_public_key")
    public String rsaPublicKey;
    /** JSON array of organization ids sharing the server. */
    @Column(name = "organization_ids")
    public String organizationIds;
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
