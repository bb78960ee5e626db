package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Full state of a device, on {@link Topics#INVENTORY_DEVICES} (compacted, key device id; a null value
 * is the tombstone of a deleted device). Never carries a secret: the runner fetches the SSH key or
 * password from inventory at run time.
 *
 * @param id                 device id
 * @param organizationId     owning organization
 * @param name               display name
 * @param address            management address: host name, IPv4 or IPv6 literal
 * @param sshPort            1-65535
 * @param sshUser            SSH login name
 * @param authMethod         key or password login
 * @param hostKeyFingerprint pinned host key, {@code SHA256:} + unpadded base64 of the key's SHA-256 (as
 *                           {@code ssh-keygen -lf} prints it); null until recorded on first use
 * @param tags               free-form tags, empty when none
 * @param enabled            false: no check runs against the device
 * @param version            increases with every change; consumers ignore a snapshot older than one they have
 * @param updatedAt          time of the change
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceSnapshot(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String address,
        @JsonProperty(required = true) int sshPort,
        @JsonProperty(required = true) String sshUser,
        @JsonProperty(required = true) SshAuthMethod authMethod,
        String hostKeyFingerprint,
        List<String> tags,
        @JsonProperty(required = true) boolean enabled,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) Instant updatedAt) implements Event {

    /** {@code SHA256:} and 43 characters of unpadded base64. */
    public static final String FINGERPRINT_REGEX = "^SHA256:[A-Za-z0-9+/]{43}$";

    private static final Pattern FINGERPRINT = Pattern.compile(FINGERPRINT_REGEX);

    public DeviceSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organization_id");
        Validation.notBlank(name, "name");
        Validation.host(address, "address");
        Validation.range(sshPort, 1, 65535, "ssh_port");
        Validation.notBlank(sshUser, "ssh_user");
        Objects.requireNonNull(authMethod, "auth_method");
        if (hostKeyFingerprint != null && !FINGERPRINT.matcher(hostKeyFingerprint).matches()) {
            throw new InvalidFieldException("host_key_fingerprint",
                    "not a SHA256 fingerprint ('SHA256:' and 43 base64 characters): '" + hostKeyFingerprint + "'");
        }
        tags = Validation.list(tags, "tags", tag -> !tag.isBlank(), "must not be blank");
        Validation.atLeast(version, 0, "version");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    @Override
    public EventType eventType() {
        return EventType.DEVICE_SNAPSHOT;
    }

    /** Derived from (id, version). */
    @Override
    public UUID eventId() {
        return EventType.derivedEventId(EventType.DEVICE_SNAPSHOT, id, version);
    }

    @Override
    public Instant eventTime() {
        return updatedAt;
    }
}
