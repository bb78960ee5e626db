package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Full state of a check, on {@link Topics#INVENTORY_CHECKS} (compacted, key check id, tombstone on
 * delete). The parameters are the EFFECTIVE ones, already resolved by inventory (check parameters,
 * then organization configuration, then defaults): {@code iperf3} is present iff the type is iperf3,
 * {@code ping} iff the type is ping.
 *
 * @param id             check id
 * @param organizationId organization of the device
 * @param deviceId       device checked
 * @param type           iperf3 or ping
 * @param schedule       when it runs
 * @param active         false: not scheduled (on-demand requests are refused too)
 * @param version        increases with every change
 * @param updatedAt      time of the change
 * @param iperf3         iperf3 parameters, iff type iperf3
 * @param ping           ping parameters, iff type ping
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckSnapshot(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) UUID deviceId,
        @JsonProperty(required = true) CheckType type,
        @JsonProperty(required = true) Schedule schedule,
        @JsonProperty(required = true) boolean active,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) Instant updatedAt,
        Iperf3Options iperf3,
        PingOptions ping) implements Event {

    public CheckSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organization_id");
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(schedule, "schedule");
        Validation.atLeast(version, 0, "version");
        Objects.requireNonNull(updatedAt, "updated_at");
        if (type == CheckType.IPERF3) {
            if (iperf3 == null) {
                throw new InvalidFieldException("iperf3", "required when type is iperf3");
            }
            if (ping != null) {
                throw new InvalidFieldException("ping", "must be absent when type is iperf3");
            }
        } else {
            if (ping == null) {
                throw new InvalidFieldException("ping", "required when type is ping");
            }
            if (iperf3 != null) {
                throw new InvalidFieldException("iperf3", "must be absent when type is ping");
            }
        }
    }

    @Override
    public EventType eventType() {
        return EventType.CHECK_SNAPSHOT;
    }

    /** Derived from (id, version). */
    @Override
    public UUID eventId() {
        return EventType.derivedEventId(EventType.CHECK_SNAPSHOT, id, version);
    }

    @Override
    public Instant eventTime() {
        return updatedAt;
    }
}
