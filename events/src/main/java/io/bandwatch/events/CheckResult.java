package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One finished run of a check, on {@link Topics#CHECK_RESULTS} (key device id). Every run ends in
 * exactly one result, failures included.
 *
 * <p>Invariants (checked here and in the schema):
 * <ul>
 * <li>status failed iff error present;</li>
 * <li>type iperf3: {@code iperf3} present (when failed: iperf3_result 0, or 1 if one mode succeeded),
 *     {@code ping} absent; when ok: iperf3_result 1 and {@code server} present;</li>
 * <li>type ping: {@code iperf3} and {@code server} absent; {@code ping} present when ok, absent when
 *     failed (fping could not run: nothing is known about the device, which is not the same as
 *     unreachable; an unreachable device is status ok with reachable 0);</li>
 * <li>finished_at not before started_at.</li>
 * </ul>
 *
 * @param eventId        unique per run; consumers deduplicate by it
 * @param checkId        the check
 * @param deviceId       its device
 * @param organizationId its organization
 * @param type           the check type
 * @param startedAt      start of the run
 * @param finishedAt     end of the run; the event time of the metrics
 * @param server         iperf3 server leased for the run, if one was
 * @param status         ok or failed
 * @param error          why it failed, iff failed
 * @param iperf3         iperf3 fields, iff type iperf3
 * @param ping           ping fields, iff type ping and ok
 * @param runnerId       the runner instance (pod name), for diagnosis
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(
        @JsonProperty(required = true) UUID eventId,
        @JsonProperty(required = true) UUID checkId,
        @JsonProperty(required = true) UUID deviceId,
        @JsonProperty(required = true) UUID organizationId,
        @JsonProperty(required = true) CheckType type,
        @JsonProperty(required = true) Instant startedAt,
        @JsonProperty(required = true) Instant finishedAt,
        ServerUsed server,
        @JsonProperty(required = true) ResultStatus status,
        ResultError error,
        Iperf3Metrics iperf3,
        PingMetrics ping,
        String runnerId) implements Event {

    public CheckResult {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(checkId, "check_id");
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(organizationId, "organization_id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(startedAt, "started_at");
        Objects.requireNonNull(finishedAt, "finished_at");
        Objects.requireNonNull(status, "status");
        if (finishedAt.isBefore(startedAt)) {
            throw new InvalidFieldException("finished_at", "must not be before started_at");
        }
        boolean ok = status == ResultStatus.OK;
        if (ok && error != null) {
            throw new InvalidFieldException("error", "must be absent when status is ok");
        }
        if (!ok && error == null) {
            throw new InvalidFieldException("error", "required when status is failed");
        }
        if (type == CheckType.IPERF3) {
            if (iperf3 == null) {
                throw new InvalidFieldException("iperf3", "required when type is iperf3");
            }
            if (ping != null) {
                throw new InvalidFieldException("ping", "must be absent when type is iperf3");
            }
            if (ok && iperf3.iperf3Result() != 1) {
                throw new InvalidFieldException("iperf3.iperf3_result", "must be 1 when status is ok");
            }
            if (ok && server == null) {
                throw new InvalidFieldException("server", "required when an iperf3 run is ok");
            }
        } else {
            if (iperf3 != null) {
                throw new InvalidFieldException("iperf3", "must be absent when type is ping");
            }
            if (server != null) {
                throw new InvalidFieldException("server", "must be absent when type is ping");
            }
            if (ok && ping == null) {
                throw new InvalidFieldException("ping", "required when type is ping and status is ok");
            }
            if (!ok && ping != null) {
                throw new InvalidFieldException("ping", "must be absent when status is failed");
            }
        }
        Validation.notBlankOrNull(runnerId, "runner_id");
    }

    @Override
    public EventType eventType() {
        return EventType.CHECK_RESULT;
    }

    /** The end of the run. */
    @Override
    public Instant eventTime() {
        return finishedAt;
    }

    /** The metrics of the run, if any. */
    public Optional<Metrics> metrics() {
        return Optional.ofNullable(type == CheckType.IPERF3 ? iperf3 : ping);
    }
}
