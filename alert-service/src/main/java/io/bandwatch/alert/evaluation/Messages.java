package io.bandwatch.alert.evaluation;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.NotificationType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Readable notification messages, e.g.
 * {@code TCP bandwidth of router-12 has been below 10 Mbps for more than 2 days: 4.3 Mbps}.
 */
public final class Messages {

    private record Label(String name, String unit) {
    }

    private static final Map<String, Label> LABELS = Map.ofEntries(
            Map.entry("iperf3_result", new Label("iperf3 result", "")),
            Map.entry("sent_bps_tcp", new Label("TCP bandwidth", "bps")),
            Map.entry("received_bps_tcp", new Label("TCP received bandwidth", "bps")),
            Map.entry("sent_bytes_tcp", new Label("TCP bytes sent", "B")),
            Map.entry("received_bytes_tcp", new Label("TCP bytes received", "B")),
            Map.entry("retransmits", new Label("TCP retransmits", "")),
            Map.entry("sent_bps_udp", new Label("UDP bandwidth", "bps")),
            Map.entry("sent_bytes_udp", new Label("UDP bytes sent", "B")),
            Map.entry("jitter", new Label("UDP jitter", "ms")),
            Map.entry("total_packets", new Label("UDP datagrams", "")),
            Map.entry("lost_packets", new Label("UDP datagrams lost", "")),
            Map.entry("lost_percent", new Label("UDP datagram loss", "%")),
            Map.entry("reachable", new Label("Reachability", "")),
            Map.entry("loss", new Label("Packet loss", "%")),
            Map.entry("rtt_min", new Label("Minimum RTT", "ms")),
            Map.entry("rtt_avg", new Label("Average RTT", "ms")),
            Map.entry("rtt_max", new Label("Maximum RTT", "ms")));

    private Messages() {
    }

    public static String message(NotificationType type, String deviceName, String field, AlertOperator operator,
            double threshold, Duration tolerance, double value) {
        Label label = LABELS.getOrDefault(field, new Label(field, ""));
        String direction = operator == AlertOperator.LESS_THAN ? "below" : "above";
        boolean flag = (field.equals("reachable") || field.equals("iperf3_result"))
                && operator == AlertOperator.LESS_THAN && threshold > 0 && threshold <= 1;
        if (flag) {
            String what = field.equals("reachable") ? deviceName + " has been unreachable"
                    : "iperf3 has been failing on " + deviceName;
            String back = field.equals("reachable") ? deviceName + " is reachable again"
                    : "iperf3 works again on " + deviceName;
            return type == NotificationType.PROBLEM
                    ? what + (tolerance.isZero() ? "" : " for more than " + duration(tolerance))
                    : back;
        }
        String subject = label.name() + " of " + deviceName;
        if (type == NotificationType.PROBLEM) {
            return subject + (tolerance.isZero() ? " is " + direction + " " : " has been " + direction + " ")
                    + quantity(threshold, label.unit())
                    + (tolerance.isZero() ? "" : " for more than " + duration(tolerance)) + ": "
                    + quantity(value, label.unit());
        }
        return subject + " is no longer " + direction + " " + quantity(threshold, label.unit()) + ": "
                + quantity(value, label.unit());
    }

    /** A value with an adaptive SI prefix for bps and bytes: {@code 4.3 Mbps}, {@code 10 Mbps}, {@code 512 B}. */
    public static String quantity(double value, String unit) {
        if (unit.equals("bps") || unit.equals("B")) {
            String[] prefixes = {"", "k", "M", "G", "T"};
            int i = 0;
            double v = value;
            while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
                v /= 1000;
                i++;
            }
            return number(v) + " " + prefixes[i] + unit;
        }
        if (unit.isEmpty()) {
            return number(value);
        }
        return number(value) + (unit.equals("%") ? " %" : " " + unit);
    }

    static String number(double value) {
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(Math.abs(value) >= 100 ? 0 : 1, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    /** {@code 2 days}, {@code 1 day}, {@code 30 minutes}, {@code 36 hours}, {@code 45 seconds}. */
    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return plural(s / 86_400, "day");
        }
        if (s % 3_600 == 0) {
            return plural(s / 3_600, "hour");
        }
        if (s % 60 == 0) {
            return plural(s / 60, "minute");
        }
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s"); // not String.format: one message per notification, on the event loop
    }
}
