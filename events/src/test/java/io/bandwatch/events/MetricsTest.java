package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void iperf3FieldsAreEveryFieldInStorageOrder() {
        Map<String, Double> fields = Samples.iperf3Result().iperf3().fields();

        assertThat(fields).containsExactly(entry("iperf3_result", 1.0), entry("sent_bps_tcp", 9.4e8),
                entry("received_bps_tcp", 9.38e8), entry("sent_bytes_tcp", 1.175e9), entry("received_bytes_tcp", 1.1725e9),
                entry("retransmits", 17.0), entry("sent_bps_udp", 3.0e7), entry("sent_bytes_udp", 3.75e7),
                entry("jitter", 0.012), entry("total_packets", 25907.0), entry("lost_packets", 13.0),
                entry("lost_percent", 0.05));
        assertThat(fields.keySet()).containsExactlyElementsOf(Metrics.fieldNames(CheckType.IPERF3));
    }

    @Test
    void iperf3FieldsSkipNullsAndKeepTheOrder() {
        Iperf3Metrics tcpOnly = new Iperf3Metrics(1, 5.0e7, 4.9e7, 62_500_000L, 61_250_000L, null, null, null, null,
                null, null, null);

        assertThat(tcpOnly.fields()).containsExactly(entry("iperf3_result", 1.0), entry("sent_bps_tcp", 5.0e7),
                entry("received_bps_tcp", 4.9e7), entry("sent_bytes_tcp", 6.25e7), entry("received_bytes_tcp", 6.125e7));
        Iperf3Metrics udpOnly = new Iperf3Metrics(1, null, null, null, null, null, 3.0e7, 37_500_000L, 0.5, 100L,
                0L, 0.0);
        assertThat(udpOnly.fields()).containsOnlyKeys("iperf3_result", "sent_bps_udp", "sent_bytes_udp", "jitter",
                "total_packets", "lost_packets", "lost_percent");
    }

    @Test
    void failedIperf3IsResultZeroOnly() {
        assertThat(Iperf3Metrics.failed().fields()).containsExactly(entry("iperf3_result", 0.0));
        assertThat(Iperf3Metrics.failed().iperf3Result()).isZero();
        assertThat(Iperf3Metrics.failed().sentBpsTcp()).isNull();
    }

    @Test
    void pingFields() {
        assertThat(Samples.pingResult().ping().fields()).containsExactly(entry("reachable", 1.0), entry("loss", 20.0),
                entry("rtt_min", 0.41), entry("rtt_avg", 0.52), entry("rtt_max", 0.73));
        assertThat(PingMetrics.unreachable().fields()).containsExactly(entry("reachable", 0.0), entry("loss", 100.0));
        assertThat(Samples.pingResult().ping().fields().keySet())
                .containsExactlyElementsOf(Metrics.fieldNames(CheckType.PING));
    }

    @Test
    void oneFieldIsWhatTheMapHas() {
        Iperf3Metrics tcpOnly = new Iperf3Metrics(1, 5.0e7, 4.9e7, 62_500_000L, 61_250_000L, null, null, null, null,
                null, null, null);
        for (Metrics m : java.util.List.of(Samples.iperf3Result().iperf3(), tcpOnly, Iperf3Metrics.failed(),
                Samples.pingResult().ping(), PingMetrics.unreachable())) {
            for (CheckType type : CheckType.values()) {
                for (String name : Metrics.fieldNames(type)) {
                    assertThat(m.field(name)).as("%s of %s", name, m).isEqualTo(m.fields().get(name));
                }
            }
            assertThat(m.field("bandwidth")).isNull();
        }
        assertThat(tcpOnly.field("jitter")).isNull();
        assertThat(PingMetrics.unreachable().field("rtt_avg")).isNull();
        assertThat(PingMetrics.unreachable().field("reachable")).isEqualTo(0.0);
    }

    @Test
    void fieldsAreUnmodifiable() {
        assertThatThrownBy(() -> Samples.pingResult().ping().fields().put("x", 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fieldNamesPerType() {
        assertThat(Metrics.fieldNames(CheckType.IPERF3)).hasSize(12).startsWith("iperf3_result").endsWith("lost_percent");
        assertThat(Metrics.fieldNames(CheckType.PING)).containsExactly("reachable", "loss", "rtt_min", "rtt_avg",
                "rtt_max");
        assertThat(Metrics.typeOfField("jitter")).contains(CheckType.IPERF3);
        assertThat(Metrics.typeOfField("rtt_avg")).contains(CheckType.PING);
        assertThat(Metrics.typeOfField("bandwidth")).isEmpty();
    }

    @Test
    void resultExposesItsMetrics() {
        CheckResult result = Samples.iperf3Result();
        assertThat(result.metrics()).containsSame(result.iperf3());
        assertThat(Samples.iperf3Result().metrics().orElseThrow().checkType()).isEqualTo(CheckType.IPERF3);
        assertThat(Samples.pingResult().metrics().orElseThrow().checkType()).isEqualTo(CheckType.PING);
        assertThat(Samples.pingFailed().metrics()).isEmpty();
    }

    @Test
    void metricInvariants() {
        assertThatThrownBy(() -> new Iperf3Metrics(1, null, null, null, null, null, null, null, null, null, null, null))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("iperf3_result:");
        assertThatThrownBy(() -> new Iperf3Metrics(0, null, null, null, null, 3L, null, null, null, null, null, null))
                .hasMessage("retransmits: must be absent when iperf3_result is 0");
        assertThatThrownBy(() -> new Iperf3Metrics(1, Double.NaN, null, null, null, null, null, null, null, null, null,
                null)).hasMessageStartingWith("sent_bps_tcp: must be a finite number");
        assertThatThrownBy(() -> PingMetrics.reachable(10, 1.0, 0.5, 2.0))
                .hasMessage("rtt_avg: must be between rtt_min and rtt_max");
        assertThatThrownBy(() -> new PingMetrics(1, 50, null, null, null))
                .hasMessage("rtt_min: required when reachable is 1");
        assertThatThrownBy(() -> PingMetrics.reachable(100, 1, 1, 1)).hasMessageStartingWith("reachable:");
    }
}
