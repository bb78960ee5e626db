package io.bandwatch.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.NotificationType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void bandwidthProblemReadsAsTheIssueSays() {
        assertThat(Messages.message(NotificationType.PROBLEM, "router-12", "sent_bps_tcp", AlertOperator.LESS_THAN, 10e6,
                Duration.ofDays(2), 4.3e6))
                .isEqualTo("TCP bandwidth of router-12 has been below 10 Mbps for more than 2 days: 4.3 Mbps");
        assertThat(Messages.message(NotificationType.RECOVERY, "router-12", "sent_bps_tcp", AlertOperator.LESS_THAN, 10e6,
                Duration.ofDays(2), 25.14e6))
                .isEqualTo("TCP bandwidth of router-12 is no longer below 10 Mbps: 25.1 Mbps");
    }

    @Test
    void reachabilityAndIperf3FailuresReadAsSentences() {
        assertThat(Messages.message(NotificationType.PROBLEM, "ap-1", "reachable", AlertOperator.LESS_THAN, 1,
                Duration.ofMinutes(30), 0)).isEqualTo("ap-1 has been unreachable for more than 30 minutes");
        assertThat(Messages.message(NotificationType.RECOVERY, "ap-1", "reachable", AlertOperator.LESS_THAN, 1,
                Duration.ofMinutes(30), 1)).isEqualTo("ap-1 is reachable again");
        assertThat(Messages.message(NotificationType.PROBLEM, "ap-1", "iperf3_result", AlertOperator.LESS_THAN, 1,
                Duration.ofDays(1), 0)).isEqualTo("iperf3 has been failing on ap-1 for more than 1 day");
    }

    @Test
    void otherUnitsAndZeroTolerance() {
        assertThat(Messages.message(NotificationType.PROBLEM, "r", "jitter", AlertOperator.GREATER_THAN, 5,
                Duration.ZERO, 7.25)).isEqualTo("UDP jitter of r is above 5 ms: 7.3 ms");
        assertThat(Messages.quantity(1_234_567_890, "B")).isEqualTo("1.2 GB");
        assertThat(Messages.quantity(512, "bps")).isEqualTo("512 bps");
        assertThat(Messages.duration(Duration.ofHours(36))).isEqualTo("36 hours");
    }
}
