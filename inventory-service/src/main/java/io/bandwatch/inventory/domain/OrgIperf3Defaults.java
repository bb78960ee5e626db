package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** An organization's iperf3 configuration (OpenWISP's per-organization IPERF3_CHECK_CONFIG entry). */
public class OrgIperf3Defaults {
    public UUID organizationId;
    /** host, client_options, username (JSON object), without the secret parts. */
    public String config;
    /** AES-GCM ciphertext of {@code {"password", "rsa_public_key"}}. */
    public String authSecret;
    public long version;
    public Instant updatedAt;
}
