package io.bandwatch.metrics.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptivePrefixTest {

    @Test
    void formatsTheExamplesOfTheIssue() {
        assertThat(AdaptivePrefix.bps(999)).isEqualTo("999 bps");
        assertThat(AdaptivePrefix.bps(1000)).isEqualTo("1.00 Kbps");
        assertThat(AdaptivePrefix.bps(9_870_000)).isEqualTo("9.87 Mbps");
        assertThat(AdaptivePrefix.bytes(1_200_000_000L)).isEqualTo("1.2 GB");
    }

    @Test
    void threeSignificantDigitsHalfUpAndCarriesToTheNextPrefix() {
        assertThat(AdaptivePrefix.bps(9_874_999)).isEqualTo("9.87 Mbps");
        assertThat(AdaptivePrefix.bps(9_875_000)).isEqualTo("9.88 Mbps");
        assertThat(AdaptivePrefix.bps(123_456_789)).isEqualTo("123 Mbps");
        assertThat(AdaptivePrefix.bps(999.6)).isEqualTo("1.00 Kbps");
        assertThat(AdaptivePrefix.bps(999_999)).isEqualTo("1.00 Mbps");
        assertThat(AdaptivePrefix.bps(1.5e12)).isEqualTo("1.50 Tbps");
        assertThat(AdaptivePrefix.bytes(1000)).isEqualTo("1 KB");
        assertThat(AdaptivePrefix.bytes(1_234_567_890L)).isEqualTo("1.23 GB");
        assertThat(AdaptivePrefix.bytes(10_500)).isEqualTo("10.5 KB");
    }

    @Test
    void smallNegativeAndNonNumbers() {
        assertThat(AdaptivePrefix.bps(0)).isEqualTo("0 bps");
        assertThat(AdaptivePrefix.bps(12.4)).isEqualTo("12 bps");
        assertThat(AdaptivePrefix.bps(-2_500_000)).isEqualTo("-2.50 Mbps");
        assertThat(AdaptivePrefix.bps(Double.NaN)).isEqualTo("-");
        assertThat(AdaptivePrefix.forUnit(12.345, "ms")).isEqualTo("12.35 ms");
    }
}
