package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Full state of an iperf3 server, on {@link Topics#INVENTORY_IPERF3_SERVERS} (compacted, key server
 * id, tombstone on delete). A server may be shared by several organizations; its lease covers all of
 * them. Credentials never travel.
 *
 * @param id              server id
 * @param organizationIds organizations whose pool includes the server (may be empty)
 * @param host            host name, IPv4 or IPv6 literal
 * @param port            1-65535
 * @param enabled         false: never leased
 * @param authRequired    the server demands iperf3 RSA authentication
 * @param version         increases with every change
 * @param updatedAt       time of the change
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Iperf3ServerSnapshot(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) List<UUID> organizationIds,
        @JsonProperty(required = true) String host,
        @JsonProperty(required = true) int port,
        @JsonProperty(required = true) boolean enabled,
        @JsonProperty(required = true) boolean authRequired,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) Instant updatedAt) implements Event {

    public Iperf3ServerSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationIds, "organization_ids");
        organizationIds = Validation.list(organizationIds, "organization_ids");
        Validation.host(host, "host");
        Validation.range(port, 1, 65535, "port");
        Validation.atLeast(version, 0, "version");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    @Override
    public EventType eventType() {
        return EventType.IPERF3_SERVER_SNAPSHOT;
    }

    /** Derived from (id, version). */
    @Override
    public UUID eventId() {
        return EventType.derivedEventId(EventType.IPERF3_SERVER_SNAPSHOT, id, version);
    }

    @Override
    public Instant eventTime() {
        return updatedAt;
    }
}
