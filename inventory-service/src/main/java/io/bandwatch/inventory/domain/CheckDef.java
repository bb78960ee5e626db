package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "check_def")
public class CheckDef {
    @Id
    public UUID id;
    @Column(name = "organization_id")
    public UUID organizationId;
    @Column(name = "device_id")
    public UUID deviceId;
    public String name;
    /** iperf3 or ping. */
    public String type;
    /** The parameters as given (JSON object), without the secret parts. */
    public String params;
    /** AES-GCM ciphertext of {@code {"password", "rsa_public_key"}} given in the iperf3 parameters. */
    @Column(name = "auth_secret")
    public String authSecret;
    public String cron;
    @Column(name = "time_zone")
    public String timeZone;
    @Column(name = "interval_seconds")
    public Long intervalSeconds;
    @Column(name = "random_slip_seconds")
    public long randomSlipSeconds;
    public boolean active = true;
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
