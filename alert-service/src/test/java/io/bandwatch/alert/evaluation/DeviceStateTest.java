package io.bandwatch.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.alert.repository.Setting;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

    static final UUID ORG = UUID.randomUUID();
    static final UUID DEVICE = UUID.randomUUID();

    static Setting setting(UUID check, String field, AlertStatus status, boolean active) {
        return new Setting(UUID.randomUUID(), ORG, DEVICE, check, CheckType.IPERF3, field, AlertOperator.LESS_THAN, 1,
                Duration.ZERO, active, new SettingState(status, null, 0, Instant.EPOCH, 0.0), null, null);
    }

    @Test
    void healthNamesTheSettingsInTheDatabasesOrderOfCheckIdsThenFields() {
        // PostgreSQL orders uuids by their bytes (unsigned): 8000... after 7fff..., where UUID.compareTo says before
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        UUID low = UUID.fromString("7fffffff-0000-0000-0000-000000000000");
        assertThat(high.compareTo(low)).isNegative();
        DeviceState state = new DeviceState(Map.of(high, 0L, low, 0L), Map.of(), List.of(
                setting(high, "sent_bps_tcp", AlertStatus.PROBLEM, true),
                setting(low, "sent_bps_udp", AlertStatus.PROBLEM, true),
                setting(low, "iperf3_result", AlertStatus.PROBLEM, true),
                setting(low, "jitter", AlertStatus.PROBLEM, false)), HealthStatus.UNKNOWN);
        assertThat(state.computeHealth()).isEqualTo(new HealthRules.Health(HealthStatus.PROBLEM,
                "in problem: iperf3_result < 1.0, sent_bps_udp < 1.0, sent_bps_tcp < 1.0"));
    }

    @Test
    void aCopyIsCurrentOnlyForTheRevisionsItWasLoadedWithAndChangesOnlyItself() {
        UUID check = UUID.randomUUID();
        Setting s = setting(check, "sent_bps_tcp", AlertStatus.OK, true);
        DeviceState kept = new DeviceState(Map.of(check, 3L), Map.of(check, false), List.of(s), HealthStatus.OK);
        assertThat(kept.current(Map.of(check, 3L))).isTrue();
        assertThat(kept.current(Map.of(check, 4L))).isFalse();
        assertThat(kept.current(Map.of(check, 3L, UUID.randomUUID(), 0L))).isFalse();

        DeviceState copy = kept.copy();
        copy.put(s.withState(new SettingState(AlertStatus.PROBLEM, Instant.EPOCH, 1, Instant.EPOCH, 0.0)));
        copy.health(HealthStatus.PROBLEM);
        assertThat(kept.activeSettingsOf(check).get(0).state().status()).isEqualTo(AlertStatus.OK);
        assertThat(kept.health()).isEqualTo(HealthStatus.OK);
        assertThat(copy.activeSettingsOf(check).get(0).state().status()).isEqualTo(AlertStatus.PROBLEM);
    }

    @Test
    void theActiveSettingsFollowEveryPutAndSurviveACopy() {
        UUID check = UUID.randomUUID();
        Setting tcp = setting(check, "sent_bps_tcp", AlertStatus.OK, true);
        Setting result = setting(check, "iperf3_result", AlertStatus.OK, true);
        Setting jitter = setting(check, "jitter", AlertStatus.OK, false);
        DeviceState kept = new DeviceState(Map.of(check, 1L), Map.of(check, false), List.of(tcp, result, jitter),
                HealthStatus.OK);
        assertThat(kept.activeSettingsOf(check)).containsExactly(result, tcp);

        DeviceState copy = kept.copy();
        Setting tcpProblem = tcp.withState(new SettingState(AlertStatus.PROBLEM, Instant.EPOCH, 1, Instant.EPOCH, 0.0));
        copy.put(tcpProblem);
        assertThat(copy.activeSettingsOf(check)).containsExactly(result, tcpProblem);
        assertThat(kept.activeSettingsOf(check)).as("the kept device is not the copy").containsExactly(result, tcp);

        Setting jitterOn = new Setting(jitter.id(), ORG, DEVICE, check, CheckType.IPERF3, "jitter",
                AlertOperator.LESS_THAN, 1, Duration.ZERO, true, jitter.state(), null, null);
        copy.put(jitterOn);
        assertThat(copy.activeSettingsOf(check)).containsExactly(result, jitterOn, tcpProblem);
        Setting resultOff = new Setting(result.id(), ORG, DEVICE, check, CheckType.IPERF3, "iperf3_result",
                AlertOperator.LESS_THAN, 1, Duration.ZERO, false, result.state(), null, null);
        copy.copy().put(resultOff);
        copy.put(resultOff);
        assertThat(copy.activeSettingsOf(check)).containsExactly(jitterOn, tcpProblem);
    }
}
