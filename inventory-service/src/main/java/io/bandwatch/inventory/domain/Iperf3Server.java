package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code iperf3_server}. */
public class Iperf3Server {
    public UUID id;
    public String host;
    public int port;
    public boolean enabled = true;
    public String authUsername;
    /** AES-GCM ciphertext of the iperf3 password. */
    public String authPassword;
    public String rsaPublicKey;
    /** JSON array of organization ids sharing the server. */
    public String organizationIds;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
