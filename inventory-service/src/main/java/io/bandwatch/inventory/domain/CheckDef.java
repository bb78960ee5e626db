package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code check_def}. */
public class CheckDef {
    public UUID id;
    public UUID organizationId;
    public UUID deviceId;
    public String name;
    /** iperf3 or ping. */
    public String type;
    /** The parameters as given (JSON object), without the secret parts. */
    public String params;
    /** AES-GCM ciphertext of {@code {"password", "rsa_public_key"}} given in the iperf3 parameters. */
    public String authSecret;
    public String cron;
    public String timeZone;
    public Long intervalSeconds;
    public long randomSlipSeconds;
    public boolean active = true;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
