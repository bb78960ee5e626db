package io.bandwatch.runner.iperf3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Parsing real iperf3 3.12 output captured on this machine (src/test/resources/iperf3). */
class Iperf3ParserTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = Iperf3ParserTest.class.getResourceAsStream("/iperf3/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void tcpAndUdpGiveTheTwelveFields() throws IOException {
        ModeResult tcp = Iperf3Parser.parse(Iperf3Mode.TCP, fixture("tcp-ok.json"), "", 0);
        ModeResult udp = Iperf3Parser.parse(Iperf3Mode.UDP, fixture("udp-ok.json"), "", 0);
        assertThat(tcp.ok()).isTrue();
        assertThat(udp.ok()).isTrue();
        Iperf3Metrics m = Iperf3Parser.metrics(tcp, udp);
        assertThat(m.fields()).containsOnlyKeys(Iperf3Metrics.FIELD_NAMES);
        assertThat(m.sentBpsTcp()).isEqualTo(9086081055.017647);
        assertThat(m.receivedBpsTcp()).isEqualTo(8998796715.55366);
        assertThat(m.sentBytesTcp()).isEqualTo(1138884608L);
        assertThat(m.receivedBytesTcp()).isEqualTo(1137573888L);
        assertThat(m.retransmits()).isEqualTo(8L);
        assertThat(m.sentBpsUdp()).isEqualTo(10222726.62278382);
        assertThat(m.sentBytesUdp()).isEqualTo(1277952L);
        assertThat(m.jitter()).isEqualTo(0.013782583335372422);
        assertThat(m.totalPackets()).isEqualTo(39L);
        assertThat(m.lostPackets()).isZero();
        assertThat(m.lostPercent()).isZero();
        assertThat(m.iperf3Result()).isEqualTo(1);
    }

    @Test
    void iperf3ErrorsMapToTheirCodesEvenWithExitZero() throws IOException {
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, fixture("busy.json"), "", 0).error()).isEqualTo(ErrorCode.SERVER_BUSY);
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, fixture("refused.json"), "", 0).error())
                .isEqualTo(ErrorCode.CONNECTION_REFUSED);
        assertThat(Iperf3Parser.classify("test authorization failed")).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(Iperf3Parser.classify("unable to connect to server: Connection timed out")).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(Iperf3Parser.classify("the server has terminated")).isEqualTo(ErrorCode.BAD_OUTPUT);
    }

    @Test
    void exitStatusesAndGarbage() throws IOException {
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, "", "sh: 1: iperf3: not found", 127).error())
                .isEqualTo(ErrorCode.IPERF3_NOT_INSTALLED);
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, fixture("tcp-ok.json"), "", 124).error()).isEqualTo(ErrorCode.TIMEOUT);
        ModeResult garbage = Iperf3Parser.parse(Iperf3Mode.UDP, fixture("garbage.out"), "", 0);
        assertThat(garbage.error()).isEqualTo(ErrorCode.BAD_OUTPUT);
        assertThat(garbage.message()).contains("this is not json");
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, "{\"end\":{}}", "", 0).error()).isEqualTo(ErrorCode.BAD_OUTPUT);
        assertThat(Iperf3Parser.parse(Iperf3Mode.TCP, "", "iperf3: parameter error - bad", 1).error())
                .isEqualTo(ErrorCode.BAD_OUTPUT);
    }

    @Test
    void oneModeFailingKeepsTheOthersFields() throws IOException {
        ModeResult tcp = Iperf3Parser.parse(Iperf3Mode.TCP, fixture("busy.json"), "", 0);
        ModeResult udp = Iperf3Parser.parse(Iperf3Mode.UDP, fixture("udp-ok.json"), "", 0);
        Iperf3Metrics m = Iperf3Parser.metrics(tcp, udp);
        assertThat(m.iperf3Result()).isEqualTo(1);
        assertThat(m.sentBpsTcp()).isNull();
        assertThat(m.sentBpsUdp()).isPositive();
        assertThat(Iperf3Parser.metrics(tcp, ModeResult.failed(Iperf3Mode.UDP, ErrorCode.SERVER_BUSY, "x")))
                .isEqualTo(Iperf3Metrics.failed());
    }
}
