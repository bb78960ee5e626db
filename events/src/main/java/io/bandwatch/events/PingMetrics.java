package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The fields of one ping run ({@code ping} of a {@link CheckResult}), from fping's summary line.
 *
 * @param reachable 1 when loss is below 100 %, else 0
 * @param loss      packet loss, percent, 0-100
 * @param rttMin    milliseconds; present iff reachable
 * @param rttAvg    milliseconds; present iff reachable, between min and max
 * @param rttMax    milliseconds; present iff reachable
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PingMetrics(
        @JsonProperty(required = true) int reachable,
        @JsonProperty(required = true) double loss,
        Double rttMin,
        Double rttAvg,
        Double rttMax) implements Metrics {

    /** The JSON and storage names, in order. */
    public static final List<String> FIELD_NAMES = List.of("reachable", "loss", "rtt_min", "rtt_avg", "rtt_max");

    public PingMetrics {
        Validation.zeroOrOne(reachable, "reachable");
        Validation.range(loss, 0, 100, "loss");
        if (reachable != (loss < 100 ? 1 : 0)) {
            throw new InvalidFieldException("reachable", "must be 1 when loss is below 100 and 0 when it is 100, was "
                    + reachable + " with loss " + loss);
        }
        Double[] rtts = {rttMin, rttAvg, rttMax};
        for (int i = 0; i < rtts.length; i++) {
            String field = FIELD_NAMES.get(i + 2);
            if (reachable == 0 && rtts[i] != null) {
                throw new InvalidFieldException(field, "must be absent when reachable is 0");
            }
            if (reachable == 1 && rtts[i] == null) {
                throw new InvalidFieldException(field, "required when reachable is 1");
            }
            Validation.nonNegative(rtts[i], field);
        }
        if (reachable == 1 && (rttAvg < rttMin || rttAvg > rttMax)) {
            throw new InvalidFieldException("rtt_avg", "must be between rtt_min and rtt_max");
        }
    }

    /** 100 % loss. */
    public static PingMetrics unreachable() {
        return new PingMetrics(0, 100, null, null, null);
    }

    /** Some replies arrived. */
    public static PingMetrics reachable(double loss, double rttMin, double rttAvg, double rttMax) {
        return new PingMetrics(1, loss, rttMin, rttAvg, rttMax);
    }

    @Override
    public CheckType checkType() {
        return CheckType.PING;
    }

    @Override
    public Map<String, Double> fields() {
        return Metrics.collect(this);
    }

    @Override
    public void forEachField(FieldSink sink) {
        sink.field("reachable", reachable);
        sink.field("loss", loss);
        if (rttMin != null) {
            sink.field("rtt_min", rttMin);
            sink.field("rtt_avg", rttAvg);
            sink.field("rtt_max", rttMax);
        }
    }
}
