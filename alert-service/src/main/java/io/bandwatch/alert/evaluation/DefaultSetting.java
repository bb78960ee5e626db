package io.bandwatch.alert.evaluation;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import java.time.Duration;
import java.util.List;

/** A setting created with every new check: the built-in ones, unless the organization has its own. */
public record DefaultSetting(CheckType checkType, String field, AlertOperator operator, double threshold,
        Duration tolerance, boolean active) {

    /**
     * iperf3: {@code sent_bps_tcp < 10 Mbit/s} for 2 days and {@code iperf3_result < 1} for 1 day; ping:
     * {@code reachable < 1} for 30 minutes. All active.
     */
    public static final List<DefaultSetting> BUILT_IN = List.of(
            new DefaultSetting(CheckType.IPERF3, "sent_bps_tcp", AlertOperator.LESS_THAN, 10_000_000,
                    Duration.ofDays(2), true),
            new DefaultSetting(CheckType.IPERF3, "iperf3_result", AlertOperator.LESS_THAN, 1, Duration.ofDays(1), true),
            new DefaultSetting(CheckType.PING, "reachable", AlertOperator.LESS_THAN, 1, Duration.ofMinutes(30), true));

    public static List<DefaultSetting> builtIn(CheckType type) {
        return BUILT_IN.stream().filter(d -> d.checkType() == type).toList();
    }
}
