package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The fields of one iperf3 run ({@code iperf3} of a {@link CheckResult}), named as OpenWISP
 * Monitoring stores them. TCP figures come from {@code end.sum_sent} / {@code end.sum_received},
 * UDP from {@code end.sum} (receiver side where present). A mode that failed or did not run leaves
 * its fields null. All values are non-negative; a negative loss reported by iperf3 for reordered
 * datagrams must be clamped to 0 by the producer.
 *
 * @param iperf3Result     1 when at least one mode succeeded, else 0 (and then every other field is null)
 * @param sentBpsTcp       TCP bits per second sent
 * @param receivedBpsTcp   TCP bits per second received
 * @param sentBytesTcp     TCP bytes sent
 * @param receivedBytesTcp TCP bytes received
 * @param retransmits      TCP retransmits
 * @param sentBpsUdp       UDP bits per second sent
 * @param sentBytesUdp     UDP bytes sent
 * @param jitter           UDP jitter, milliseconds
 * @param totalPackets     UDP datagrams
 * @param lostPackets      UDP datagrams lost
 * @param lostPercent      UDP loss, 0-100
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Iperf3Metrics(
        @JsonProperty(required = true) int iperf3Result,
        Double sentBpsTcp,
        Double receivedBpsTcp,
        Long sentBytesTcp,
        Long receivedBytesTcp,
        Long retransmits,
        Double sentBpsUdp,
        Long sentBytesUdp,
        Double jitter,
        Long totalPackets,
        Long lostPackets,
        Double lostPercent) implements Metrics {

    /** The JSON and storage names, in order. */
    public static final List<String> FIELD_NAMES = List.of("iperf3_result", "sent_bps_tcp", "received_bps_tcp",
            "sent_bytes_tcp", "received_bytes_tcp", "retransmits", "sent_bps_udp", "sent_bytes_udp", "jitter",
            "total_packets", "lost_packets", "lost_percent");

    public Iperf3Metrics {
        Validation.zeroOrOne(iperf3Result, "iperf3_result");
        Validation.nonNegative(sentBpsTcp, "sent_bps_tcp");
        Validation.nonNegative(receivedBpsTcp, "received_bps_tcp");
        Validation.nonNegative(sentBytesTcp, "sent_bytes_tcp");
        Validation.nonNegative(receivedBytesTcp, "received_bytes_tcp");
        Validation.nonNegative(retransmits, "retransmits");
        Validation.nonNegative(sentBpsUdp, "sent_bps_udp");
        Validation.nonNegative(sentBytesUdp, "sent_bytes_udp");
        Validation.nonNegative(jitter, "jitter");
        Validation.nonNegative(totalPackets, "total_packets");
        Validation.nonNegative(lostPackets, "lost_packets");
        if (lostPercent != null) {
            Validation.range(lostPercent, 0, 100, "lost_percent");
        }
        Object[] values = {sentBpsTcp, receivedBpsTcp, sentBytesTcp, receivedBytesTcp, retransmits, sentBpsUdp,
                sentBytesUdp, jitter, totalPackets, lostPackets, lostPercent};
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                if (iperf3Result == 0) {
                    throw new InvalidFieldException(FIELD_NAMES.get(i + 1), "must be absent when iperf3_result is 0");
                }
                any = true;
            }
        }
        if (iperf3Result == 1 && !any) {
            throw new InvalidFieldException("iperf3_result", "is 1 but no TCP or UDP field is set");
        }
    }

    /** A run where no mode succeeded: iperf3_result 0, every other field null. */
    public static Iperf3Metrics failed() {
        return new Iperf3Metrics(0, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public CheckType checkType() {
        return CheckType.IPERF3;
    }

    @Override
    public Double field(String name) {
        int index = FIELD_NAMES.indexOf(name);
        Number value = index < 0 ? null : value(index);
        return value == null ? null : value.doubleValue();
    }

    /** The value of {@code FIELD_NAMES.get(index)}, null when the run has none. */
    private Number value(int index) {
        return switch (index) {
            case 0 -> iperf3Result;
            case 1 -> sentBpsTcp;
            case 2 -> receivedBpsTcp;
            case 3 -> sentBytesTcp;
            case 4 -> receivedBytesTcp;
            case 5 -> retransmits;
            case 6 -> sentBpsUdp;
            case 7 -> sentBytesUdp;
            case 8 -> jitter;
            case 9 -> totalPackets;
            case 10 -> lostPackets;
            case 11 -> lostPercent;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    @Override
    public Map<String, Double> fields() {
        return Metrics.collect(this);
    }

    @Override
    public void forEachField(FieldSink sink) {
        for (int i = 0; i < FIELD_NAMES.size(); i++) {
            Number value = value(i);
            if (value != null) {
                sink.field(FIELD_NAMES.get(i), value.doubleValue());
            }
        }
    }
}
