package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reusable syntax checks and the constructors' messages when used from Java. */
class ValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "128K", "30M", "1.5G", "2t", "10m", "100", "0.5K", "1.5", "999999999999999"})
    void validIperfSizes(String size) {
        assertThat(IperfSize.isValid(size)).isTrue();
        assertThat(IperfSize.requireValid("x", size)).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10M; rm -rf /", "10 M", "M", "1.", ".5", "-1", "1e6", "10MB", "10P",
            "10M\n", "$(reboot)", "`id`", "1,5M", "0x10", "1000000000000000"})
    void invalidIperfSizes(String size) {
        assertThat(IperfSize.isValid(size)).isFalse();
        assertThatThrownBy(() -> IperfSize.requireValid("client_options.window", size))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("client_options.window: not an iperf3 size: '" + size + "'");
    }

    @Test
    void iperfSizeRequireValidOrEmpty() {
        assertThat(IperfSize.requireValidOrEmpty("bytes", "")).isEmpty();
        assertThat(IperfSize.requireValidOrEmpty("bytes", "1G")).isEqualTo("1G");
        assertThatThrownBy(() -> IperfSize.requireValidOrEmpty("bytes", " ")).isInstanceOf(InvalidFieldException.class);
        assertThatThrownBy(() -> IperfSize.requireValid("bytes", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("bytes");
        assertThat(IperfSize.isValid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"router", "iperf3.openwisp.io", "a-b.example", "xn--bcher-kva.example", "R1.LAN",
            "198.18.0.2", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1", "fe80::1:2:3:4",
            "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:192.0.2.1", "64:ff9b::198.51.100.7", "1:2:3:4:5:6:7::",
            "a.b.c.d.e.f"})
    void validHosts(String host) {
        assertThat(HostNames.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "bad host", "-router", "router-", "a..b", ".example", "example.", "under_score",
            "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.999", "2001:db8:::1", "1:2:3:4:5:6:7:8:9",
            "[::1]", "fe80::1%eth0", "12345::1", ":1", "1:", "1.2.3.4:80", "::1.2.3", "host;reboot", "$(id)",
            "a.b.c.1"})
    void invalidHosts(String host) {
        assertThat(HostNames.isValid(host)).isFalse();
    }

    @Test
    void longHostNames() {
        String label63 = "a".repeat(63);
        assertThat(HostNames.isValid(label63 + ".example")).isTrue();
        assertThat(HostNames.isValid("a".repeat(64) + ".example")).isFalse();
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertThat(name253).hasSize(253);
        assertThat(HostNames.isValid(name253)).isTrue();
        assertThat(HostNames.isValid(name253 + "a")).isFalse();
        assertThat(HostNames.isValid(null)).isFalse();
    }

    @Test
    void constructorMessagesNameTheJsonField() {
        assertThatThrownBy(() -> new Iperf3Options.Tcp("10M; rm", null))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("client_options.tcp.bitrate: not an iperf3 size: '10M; rm'")
                .satisfies(e -> {
                    assertThat(((InvalidFieldException) e).field()).isEqualTo("client_options.tcp.bitrate");
                    assertThat(((InvalidFieldException) e).reason()).isEqualTo("not an iperf3 size: '10M; rm'");
                });
        assertThatThrownBy(() -> Iperf3Options.ClientOptions.of(0, null, null, null, null, null, null, null, null,
                null, null)).hasMessage("client_options.port: must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> Iperf3Options.ClientOptions.of(null, null, null, null, null, null, true, true, null,
                null, null)).hasMessage("client_options.bidirectional: reverse and bidirectional cannot both be true");
        assertThatThrownBy(() -> PingOptions.of(1, null, null, null)).hasMessage("count: must be between 2 and 20, was 1");
        assertThatThrownBy(() -> new ServerUsed(Samples.SERVER, null, 5201, 1)).isInstanceOf(NullPointerException.class)
                .hasMessage("server.host");
        assertThatThrownBy(() -> new CheckRequest(null, Samples.CHECK, Samples.DEVICE, Samples.ORG, "a", Samples.T0))
                .isInstanceOf(NullPointerException.class).hasMessage("event_id");
    }

    @Test
    void scheduleRules() {
        assertThat(Schedule.ofCron("0 2 * * *", null).timeZone()).isEqualTo("UTC");
        assertThat(Schedule.ofCron("0 2 * * MON-FRI", "America/New_York").randomSlip()).isEqualTo(Duration.ZERO);
        assertThat(Schedule.ofInterval(Duration.ofMinutes(5)).cron()).isNull();
        assertThatThrownBy(() -> new Schedule(null, null, null, null)).hasMessage(
                "schedule: exactly one of cron and interval must be set");
        assertThatThrownBy(() -> Schedule.ofCron("0 2 * * *", "CEST")).hasMessage(
                "schedule.time_zone: not an IANA time zone id: 'CEST'");
        assertThatThrownBy(() -> Schedule.ofCron("0 2 * * *", "+02:00")).hasMessageStartingWith("schedule.time_zone");
        assertThatThrownBy(() -> Schedule.ofCron("0  2 * * *", null)).hasMessageStartingWith("schedule.cron");
        // the right shape, but nothing the runner can schedule: cron-utils decides, as in the runner
        for (String unschedulable : new String[] {"*/0 * * * *", "61 * * * *", "0 0 31 2 *", "0 25 * * *"}) {
            assertThatThrownBy(() -> Schedule.ofCron(unschedulable, null))
                    .hasMessageStartingWith("schedule.cron: not a cron expression the runner can schedule: ");
        }
        assertThat(Schedule.ofCron("*/5 0-6 * * MON-FRI", "Europe/Rome").cron()).isEqualTo("*/5 0-6 * * MON-FRI");
        assertThatThrownBy(() -> Schedule.ofInterval(Duration.ofSeconds(9))).hasMessageStartingWith("schedule.interval");
        assertThatThrownBy(() -> Schedule.ofInterval(Duration.ofMinutes(5)).withRandomSlip(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("schedule.random_slip");
        assertThat(Schedule.ofInterval(Duration.ofMinutes(5)).withRandomSlip(Duration.ofDays(1)).randomSlip())
                .isEqualTo(Schedule.MAX_RANDOM_SLIP);
        assertThatThrownBy(() -> Schedule.ofInterval(Duration.ofMinutes(5)).withRandomSlip(Duration.ofHours(25)))
                .hasMessage("schedule.random_slip: must be at most one day, was PT25H");
    }

    @Test
    void checkResultRules() {
        assertThatThrownBy(() -> new CheckResult(Samples.EVENT, Samples.CHECK, Samples.DEVICE, Samples.ORG,
                CheckType.PING, Samples.T1, Samples.T0, null, ResultStatus.OK, null, null, PingMetrics.unreachable(),
                null)).hasMessage("finished_at: must not be before started_at");
        assertThatThrownBy(() -> new CheckResult(Samples.EVENT, Samples.CHECK, Samples.DEVICE, Samples.ORG,
                CheckType.PING, Samples.T0, Samples.T1, null, ResultStatus.FAILED, null, null, null, null))
                .hasMessage("error: required when status is failed");
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<String> tags = new ArrayList<>(List.of("a"));
        DeviceSnapshot device = new DeviceSnapshot(Samples.DEVICE, Samples.ORG, "n", "h", 22, "u", SshAuthMethod.KEY,
                null, tags, true, 0, Samples.T0);
        tags.add("b");

        assertThat(device.tags()).containsExactly("a");
        assertThatThrownBy(() -> device.tags().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Samples.server().organizationIds().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Samples.iperf3Options().host().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void longErrorMessagesAreCut() {
        ResultError error = new ResultError(ErrorCode.BAD_OUTPUT, "x".repeat(5000));

        assertThat(error.message()).hasSize(ResultError.MAX_MESSAGE_LENGTH).endsWith("\u2026");
        assertThat(new ResultError(ErrorCode.TIMEOUT, "short").message()).isEqualTo("short");
    }

    @Test
    void alertOperatorCrossing() {
        assertThat(AlertOperator.LESS_THAN.crossed(9, 10)).isTrue();
        assertThat(AlertOperator.LESS_THAN.crossed(10, 10)).isFalse();
        assertThat(AlertOperator.GREATER_THAN.crossed(11, 10)).isTrue();
        assertThat(AlertOperator.GREATER_THAN.crossed(10, 10)).isFalse();
    }

    @Test
    void enumJsonNames() {
        assertThat(EventJson.writeString(ErrorCode.IPERF3_NOT_INSTALLED)).isEqualTo("\"iperf3_not_installed\"");
        assertThat(EventJson.writeString(AlertOperator.LESS_THAN)).isEqualTo("\"<\"");
        assertThat(EventJson.read("\"iperf3\"", CheckType.class)).isEqualTo(CheckType.IPERF3);
        assertThat(EventJson.read("\">\"", AlertOperator.class)).isEqualTo(AlertOperator.GREATER_THAN);
        assertThatThrownBy(() -> EventJson.read("\"IPERF3\"", CheckType.class)).isInstanceOf(EventFormatException.class);
    }
}
