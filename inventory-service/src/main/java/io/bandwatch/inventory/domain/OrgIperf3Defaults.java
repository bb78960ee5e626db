package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** An organization's iperf3 configuration (OpenWISP's per-organization IPERF3_CHECK_CONFIG entry). */
@Entity
@Table(name = "organization_iperf3_defaults")
public class OrgIperf3Defaults {
    @Id
    @Column(name = "organization_id")
    public UUID organizationId;
    /** host, client_options, username (JSON object), without the secret parts. */
    public String config;
    /** AES-GCM ciphertext of {@code {"password", "rsa_public_key"}}. */
    @Column(name = "auth_secret")
    public String authSecret;
    @Version
    public long version;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
