package io.bandwatch.runner.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.PingOptions;
import org.junit.jupiter.api.Test;

/** fping's summary line, and real fping runs from this machine. */
class FpingRunnerTest {

    @Test
    void parsesReachablePartlyLostAndUnreachable() {
        FpingRunner.Outcome ok = FpingRunner.parse("127.0.0.1 : xmt/rcv/%loss = 5/5/0%, min/avg/max = 0.038/0.093/0.201", 0);
        assertThat(ok.metrics().reachable()).isEqualTo(1);
        assertThat(ok.metrics().rttMin()).isEqualTo(0.038);
        assertThat(ok.metrics().rttAvg()).isEqualTo(0.093);
        assertThat(ok.metrics().rttMax()).isEqualTo(0.201);
        FpingRunner.Outcome some = FpingRunner.parse("h : xmt/rcv/%loss = 5/3/40%, min/avg/max = 1.0/2.0/3.0", 1);
        assertThat(some.metrics().loss()).isEqualTo(40);
        FpingRunner.Outcome none = FpingRunner.parse("198.18.0.250 : xmt/rcv/%loss = 5/0/100%", 1);
        assertThat(none.metrics().reachable()).isZero();
        assertThat(none.metrics().loss()).isEqualTo(100);
        assertThat(FpingRunner.parse("garbage", 0).error()).isEqualTo(ErrorCode.BAD_OUTPUT);
        assertThat(FpingRunner.parse("x: Name or service not known", 2).error()).isEqualTo(ErrorCode.FPING_FAILED);
    }

    @Test
    void realFpingAgainstLoopbackAndANonexistentAddress() {
        FpingRunner fping = new FpingRunner("/usr/bin/fping");
        FpingRunner.Outcome up = fping.run("127.0.0.1", PingOptions.of(3, 20, 56, 300));
        assertThat(up.error()).isNull();
        assertThat(up.metrics().reachable()).isEqualTo(1);
        assertThat(up.metrics().loss()).isZero();
        FpingRunner.Outcome down = fping.run("198.18.1.250", PingOptions.of(2, 20, 56, 200));
        assertThat(down.error()).isNull();
        assertThat(down.metrics().reachable()).isZero();
        assertThat(down.metrics().loss()).isEqualTo(100);
        assertThat(new FpingRunner("/nonexistent/fping").run("127.0.0.1", PingOptions.defaults()).error())
                .isEqualTo(ErrorCode.FPING_FAILED);
    }
}
