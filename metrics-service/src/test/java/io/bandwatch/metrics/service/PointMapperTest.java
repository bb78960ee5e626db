package io.bandwatch.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.ResultError;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.ServerUsed;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The line protocol of a result: what InfluxDB stores for it. */
class PointMapperTest {

    static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID DEVICE = UUID.fromString("00000000-0000-0000-0000-00000000000d");
    static final UUID CHECK = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    static final UUID SERVER = UUID.fromString("00000000-0000-0000-0000-000000000005");
    static final Instant FINISHED = Instant.parse("2026-05-01T12:00:00.123456789Z");

    @Test
    void iperf3ResultIsOneLineWithSortedTagsFloatFieldsAndNanoseconds() {
        Iperf3Metrics m = new Iperf3Metrics(1, 9_870_000.0, 9.5e6, 1_200_000_000L, 1_199_999_000L, 3L, 1.0e6,
                1_250_000L, 0.25, 100L, 2L, 2.0);
        CheckResult r = new CheckResult(UUID.randomUUID(), CHECK, DEVICE, ORG, CheckType.IPERF3, FINISHED.minusSeconds(20),
                FINISHED, new ServerUsed(SERVER, "198.18.1.1", 5201, 7), ResultStatus.OK, null, m, null, "runner");
        assertThat(PointMapper.line(r)).isEqualTo("iperf3,check=" + CHECK + ",device=" + DEVICE + ",organization=" + ORG
                + ",server=" + SERVER + " iperf3_result=1,sent_bps_tcp=9870000,received_bps_tcp=9500000,"
                + "sent_bytes_tcp=1200000000,received_bytes_tcp=1199999000,retransmits=3,sent_bps_udp=1000000,"
                + "sent_bytes_udp=1250000,jitter=0.25,total_packets=100,lost_packets=2,lost_percent=2 "
                + "1777636800123456789");
    }

    @Test
    void pingThatCouldNotRunIsReachableZeroAndFractionsStayExact() {
        CheckResult failed = new CheckResult(UUID.randomUUID(), CHECK, DEVICE, ORG, CheckType.PING, FINISHED,
                FINISHED, null, ResultStatus.FAILED, new ResultError(ErrorCode.values()[0], "no fping"), null, null, "runner");
        assertThat(PointMapper.line(failed)).endsWith(" reachable=0 1777636800123456789")
                .startsWith("ping,check=" + CHECK + ",device=");
        CheckResult ok = new CheckResult(UUID.randomUUID(), CHECK, DEVICE, ORG, CheckType.PING, FINISHED, FINISHED,
                null, ResultStatus.OK, null, null, PingMetrics.reachable(20, 1e-7, 1.0 / 3, 12345678.9), "runner");
        String line = PointMapper.line(ok);
        assertThat(line).contains(" reachable=1,loss=20,rtt_min=1.0E-7,rtt_avg=0.3333333333333333,rtt_max=1.23456789E7 ");
        assertThat(Double.parseDouble("0.3333333333333333")).isEqualTo(1.0 / 3);
    }

    @Test
    void numbersAreDigitsOrExactDoubles() {
        StringBuilder sb = new StringBuilder();
        PointMapper.number(sb, 29_997_455.4399496);
        sb.append(' ');
        PointMapper.number(sb, 1e20);
        sb.append(' ');
        PointMapper.number(sb, -0.5);
        assertThat(sb.toString()).isEqualTo("2.99974554399496E7 1.0E20 -0.5");
    }

    @Test
    void fieldNamesAreWrittenUnescapedBecauseNoneNeedsIt() {
        // PointMapper appends the contract's field names as they are; line protocol escapes commas, equal signs and
        // spaces in keys, so a field name with one of them would need escaping here first
        for (CheckType type : CheckType.values()) {
            assertThat(io.bandwatch.events.Metrics.fieldNames(type)).allMatch(name -> name.matches("[a-z0-9_]+"));
        }
    }
}
