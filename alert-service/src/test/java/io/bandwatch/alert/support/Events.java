package io.bandwatch.alert.support;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.ResultError;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.Schedule;
import io.bandwatch.events.ServerUsed;
import io.bandwatch.events.SshAuthMethod;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Valid events of the contracts, with fresh ids. */
public final class Events {

    private Events() {
    }

    /** A device, its organization and one check. */
    public record Fixture(UUID org, UUID device, UUID check, CheckType type, String name) {

        public static Fixture iperf3() {
            return new Fixture(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), CheckType.IPERF3,
                    "router-" + UUID.randomUUID().toString().substring(0, 8));
        }

        public static Fixture ping() {
            return new Fixture(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), CheckType.PING,
                    "router-" + UUID.randomUUID().toString().substring(0, 8));
        }

        public DeviceSnapshot deviceSnapshot() {
            return new DeviceSnapshot(device, org, name, "198.18.0.10", 22, "root", SshAuthMethod.KEY, null, List.of(),
                    true, 1, Instant.parse("2026-01-01T00:00:00Z"));
        }

        public CheckSnapshot checkSnapshot() {
            return new CheckSnapshot(check, org, device, type, Schedule.ofCron("0 2 * * *", "UTC"), true, 1,
                    Instant.parse("2026-01-01T00:00:00Z"), type == CheckType.IPERF3 ? Iperf3Options.defaults() : null,
                    type == CheckType.PING ? PingOptions.defaults() : null);
        }

        /** An ok iperf3 result finished at {@code time} with this TCP bandwidth. */
        public CheckResult iperf3(Instant time, double sentBpsTcp) {
            return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, time.minusSeconds(20), time,
                    new ServerUsed(UUID.randomUUID(), "198.18.0.1", 5201, 1), ResultStatus.OK, null,
                    new Iperf3Metrics(1, sentBpsTcp, sentBpsTcp, 1000L, 1000L, 0L, null, null, null, null, null, null),
                    null, "runner-test");
        }

        public CheckResult iperf3Retransmits(Instant time, long retransmits) {
            return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, time.minusSeconds(20), time,
                    new ServerUsed(UUID.randomUUID(), "198.18.0.1", 5201, 1), ResultStatus.OK, null,
                    new Iperf3Metrics(1, 50e6, 50e6, 1000L, 1000L, retransmits, null, null, null, null, null, null),
                    null, "runner-test");
        }

        public CheckResult iperf3Failed(Instant time) {
            return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, time.minusSeconds(20), time,
                    null, ResultStatus.FAILED, new ResultError(ErrorCode.values()[0], "failed"), Iperf3Metrics.failed(),
                    null, "runner-test");
        }

        public CheckResult ping(Instant time, boolean reachable) {
            return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.PING, time.minusSeconds(1), time,
                    null, ResultStatus.OK, null, null,
                    reachable ? PingMetrics.reachable(0, 1, 2, 3) : PingMetrics.unreachable(), "runner-test");
        }
    }
}
