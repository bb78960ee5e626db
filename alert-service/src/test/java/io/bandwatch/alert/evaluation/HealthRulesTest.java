package io.bandwatch.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.alert.evaluation.HealthRules.SettingView;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.HealthStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthRulesTest {

    private static SettingView s(CheckType type, String field, boolean active, AlertStatus status, boolean evaluated) {
        return new SettingView(type, field, active, status, evaluated, field);
    }

    @Test
    void unknownBeforeAnyPointOkAfter() {
        assertThat(HealthRules.health(List.of()).status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthRules.health(List.of(s(CheckType.IPERF3, "sent_bps_tcp", true, AlertStatus.OK, false))).status())
                .isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthRules.health(List.of(s(CheckType.IPERF3, "sent_bps_tcp", true, AlertStatus.OK, true))).status())
                .isEqualTo(HealthStatus.OK);
    }

    @Test
    void reachabilityDownIsCriticalOtherProblemsAreProblem() {
        SettingView ping = s(CheckType.PING, "reachable", true, AlertStatus.PROBLEM, true);
        SettingView bw = s(CheckType.IPERF3, "sent_bps_tcp", true, AlertStatus.PROBLEM, true);
        assertThat(HealthRules.health(List.of(bw)).status()).isEqualTo(HealthStatus.PROBLEM);
        assertThat(HealthRules.health(List.of(bw, ping)).status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(HealthRules.health(List.of(bw, ping)).reason()).contains("reachable", "sent_bps_tcp");
        SettingView loss = s(CheckType.PING, "loss", true, AlertStatus.PROBLEM, true);
        assertThat(HealthRules.health(List.of(loss)).status()).isEqualTo(HealthStatus.PROBLEM);
    }

    @Test
    void inactiveSettingsDoNotCount() {
        assertThat(HealthRules.health(List.of(s(CheckType.PING, "reachable", false, AlertStatus.PROBLEM, true),
                s(CheckType.PING, "loss", true, AlertStatus.OK, true))).status()).isEqualTo(HealthStatus.OK);
    }
}
