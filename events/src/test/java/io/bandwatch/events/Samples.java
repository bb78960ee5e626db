package io.bandwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Fully populated and minimal samples of every event. */
final class Samples {

    static final UUID ORG = UUID.fromString("7f0c3c1e-7c55-4a55-9a51-2f7a4a7e5b01");
    static final UUID ORG_2 = UUID.fromString("7f0c3c1e-7c55-4a55-9a51-2f7a4a7e5b02");
    static final UUID DEVICE = UUID.fromString("0b9a2d4e-5f60-4c71-8d82-93a4b5c6d7e8");
    static final UUID CHECK = UUID.fromString("c4e1f7a2-0d3b-4f5c-9e6d-7a8b9c0d1e2f");
    static final UUID SERVER = UUID.fromString("5e7f8091-a2b3-4c4d-8e5f-60718293a4b5");
    static final UUID EVENT = UUID.fromString("e1e2e3e4-f5f6-4718-9a9b-acadaeafb0b1");
    static final UUID SETTING = UUID.fromString("a5a6a7a8-b9b0-4c1c-8d2d-3e4e5f6f7081");
    static final Instant T0 = Instant.parse("2026-05-01T02:00:00Z");
    static final Instant T1 = Instant.parse("2026-05-01T02:00:23.456Z");

    private Samples() {
    }

    static DeviceSnapshot device() {
        return new DeviceSnapshot(DEVICE, ORG, "ap-lobby", "2001:db8::42", 2222, "root", SshAuthMethod.KEY,
                "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", List.of("lobby", "floor-1"), true, 7, T0);
    }

    static DeviceSnapshot deviceMinimal() {
        return new DeviceSnapshot(DEVICE, ORG, "r1", "198.18.0.2", 22, "root", SshAuthMethod.PASSWORD, null, null,
                false, 0, T0);
    }

    static Iperf3ServerSnapshot server() {
        return new Iperf3ServerSnapshot(SERVER, List.of(ORG, ORG_2), "iperf3.example.net", 5201, true, true, 3, T0);
    }

    static Iperf3ServerSnapshot serverMinimal() {
        return new Iperf3ServerSnapshot(SERVER, List.of(), "198.18.1.1", 5202, false, false, 0, T0);
    }

    static Iperf3Options iperf3Options() {
        return new Iperf3Options(List.of("iperf3.openwisp.io", "2001:db8::1"),
                new Iperf3Options.ClientOptions(6201, 20, "", "1000", "256K", 4, true, false, 2500,
                        new Iperf3Options.Tcp("10M", "64K"), new Iperf3Options.Udp("50M", "1400")),
                "bandwatch");
    }

    static CheckSnapshot iperf3Check() {
        return new CheckSnapshot(CHECK, ORG, DEVICE, CheckType.IPERF3,
                Schedule.ofCron("*/5 0-5 * * *", "Europe/Rome").withRandomSlip(Duration.ofMinutes(3)), true, 12, T0,
                iperf3Options(), null);
    }

    static CheckSnapshot pingCheck() {
        return new CheckSnapshot(CHECK, ORG, DEVICE, CheckType.PING, Schedule.ofInterval(Duration.ofMinutes(5)),
                true, 1, T0, null, new PingOptions(10, 50, 100, 1000));
    }

    static CheckSnapshot checkMinimal() {
        return new CheckSnapshot(CHECK, ORG, DEVICE, CheckType.IPERF3, Schedule.ofCron("0 2 * * *", null), false, 0,
                T0, Iperf3Options.defaults(), null);
    }

    static CheckRequest request() {
        return new CheckRequest(EVENT, CHECK, DEVICE, ORG, "alice", T0);
    }

    static CheckResult iperf3Result() {
        return new CheckResult(EVENT, CHECK, DEVICE, ORG, CheckType.IPERF3, T0, T1,
                new ServerUsed(SERVER, "iperf3.example.net", 5201, 42), ResultStatus.OK, null,
                new Iperf3Metrics(1, 9.4e8, 9.38e8, 1_175_000_000L, 1_172_500_000L, 17L, 3.0e7, 37_500_000L, 0.012,
                        25_907L, 13L, 0.05),
                null, "check-runner-7d9f-abcde");
    }

    static CheckResult iperf3Failed() {
        return new CheckResult(EVENT, CHECK, DEVICE, ORG, CheckType.IPERF3, T0, T0, null, ResultStatus.FAILED,
                new ResultError(ErrorCode.NO_SERVER_AVAILABLE, "every server of the pool stayed busy for PT10M"),
                Iperf3Metrics.failed(), null, null);
    }

    static CheckResult pingResult() {
        return new CheckResult(EVENT, CHECK, DEVICE, ORG, CheckType.PING, T0, T1, null, ResultStatus.OK, null, null,
                PingMetrics.reachable(20, 0.41, 0.52, 0.73), "check-runner-1");
    }

    static CheckResult pingFailed() {
        return new CheckResult(EVENT, CHECK, DEVICE, ORG, CheckType.PING, T0, T1, null, ResultStatus.FAILED,
                new ResultError(ErrorCode.FPING_FAILED, "fping: not found"), null, null, null);
    }

    static CheckResult pingUnreachable() {
        return new CheckResult(EVENT, CHECK, DEVICE, ORG, CheckType.PING, T0, T1, null, ResultStatus.OK, null, null,
                PingMetrics.unreachable(), null);
    }

    static AlertNotification notification() {
        return new AlertNotification(EVENT, ORG, DEVICE, CHECK, SETTING, NotificationType.PROBLEM, "sent_bps_tcp",
                AlertOperator.LESS_THAN, 1e7, Duration.ofHours(48), 8.5e6, T1,
                "sent_bps_tcp below 10000000 for 48 hours (8500000)");
    }

    static AlertNotification recovery() {
        return new AlertNotification(EVENT, ORG, DEVICE, CHECK, SETTING, NotificationType.RECOVERY, "rtt_avg",
                AlertOperator.GREATER_THAN, 50, Duration.ZERO, 12.5, T1, "rtt_avg back to 12.5");
    }

    static DeviceHealth health() {
        return new DeviceHealth(DEVICE, ORG, HealthStatus.CRITICAL, T1, "reachable < 1 for 30 minutes");
    }

    static DeviceHealth healthMinimal() {
        return new DeviceHealth(DEVICE, ORG, HealthStatus.UNKNOWN, T0, null);
    }

    static final UUID USER = UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-190817263544");

    static TokenRevocation membershipRevocation() {
        return TokenRevocation.ofMembership(USER, ORG, T0, "membership_removed");
    }

    static TokenRevocation userRevocation() {
        return TokenRevocation.ofUser(USER, T0, "password_changed");
    }

    static TokenRevocation organizationRevocation() {
        return TokenRevocation.ofOrganization(ORG, T0, "organization_disabled");
    }

    /** Every sample; the first of each type is fully populated. */
    static List<Event> all() {
        return List.of(device(), deviceMinimal(), server(), serverMinimal(), iperf3Check(), pingCheck(),
                checkMinimal(), request(), iperf3Result(), iperf3Failed(), pingResult(), pingFailed(),
                pingUnreachable(), notification(), recovery(), health(), healthMinimal(), membershipRevocation(),
                userRevocation(), organizationRevocation());
    }

    /** The fully populated sample of a type. */
    static Event full(EventType type) {
        return all().stream().filter(e -> e.eventType() == type).findFirst().orElseThrow();
    }
}
