package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code device}. */
public class Device {
    public UUID id;
    public UUID organizationId;
    public String name;
    public String address;
    public int sshPort;
    public String sshUser;
    /** key or password. */
    public String authMethod;
    /** AES-GCM ciphertext of the JSON {@code {"private_key", "password"}}; never leaves the service but decrypted for a run. */
    public String secretCiphertext;
    public String hostKeyFingerprint;
    /** JSON array of strings. */
    public String tags;
    public boolean enabled = true;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
