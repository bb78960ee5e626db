package io.bandwatch.metrics.service;

import io.bandwatch.events.CheckType;
import java.util.List;
import java.util.Optional;

/**
 * The charts of DESIGN.md: six for iperf3, three for ping, and the share of successful iperf3 runs
 * ({@code iperf3_result} as %, so a failed run shows as a 0 point where the other iperf3 charts have no value). Each trace is one field aggregated per interval,
 * by mean or (transfer) by sum, times a scale (uptime: reachable 0/1 → %).
 */
public record ChartDefinition(String id, CheckType type, String title, String unit, boolean adaptivePrefix,
        String aggregation, List<Trace> traces) {

    /** One named series of a chart. */
    public record Trace(String name, String field, double scale) {
        Trace(String name, String field) {
            this(name, field, 1);
        }
    }

    public static final String MEAN = "mean";
    public static final String SUM = "sum";

    public static final List<ChartDefinition> ALL = List.of(
            new ChartDefinition("bandwidth", CheckType.IPERF3, "Bandwidth", "bps", true, MEAN, List.of(
                    new Trace("TCP sent", "sent_bps_tcp"), new Trace("TCP received", "received_bps_tcp"),
                    new Trace("UDP sent", "sent_bps_udp"))),
            new ChartDefinition("transfer", CheckType.IPERF3, "Transfer", "B", true, SUM, List.of(
                    new Trace("TCP sent", "sent_bytes_tcp"), new Trace("TCP received", "received_bytes_tcp"),
                    new Trace("UDP sent", "sent_bytes_udp"))),
            new ChartDefinition("retransmits", CheckType.IPERF3, "Retransmits", "count", false, MEAN, List.of(
                    new Trace("Retransmits", "retransmits"))),
            new ChartDefinition("jitter", CheckType.IPERF3, "Jitter", "ms", false, MEAN, List.of(
                    new Trace("Jitter", "jitter"))),
            new ChartDefinition("datagram", CheckType.IPERF3, "Datagram", "count", false, MEAN, List.of(
                    new Trace("Lost datagrams", "lost_packets"), new Trace("Total datagrams", "total_packets"))),
            new ChartDefinition("datagram_loss", CheckType.IPERF3, "Datagram loss", "%", false, MEAN, List.of(
                    new Trace("Datagram loss", "lost_percent"))),
            new ChartDefinition("iperf3_result", CheckType.IPERF3, "Successful runs", "%", false, MEAN, List.of(
                    new Trace("Successful runs", "iperf3_result", 100))),
            new ChartDefinition("uptime", CheckType.PING, "Uptime", "%", false, MEAN, List.of(
                    new Trace("Uptime", "reachable", 100))),
            new ChartDefinition("packet_loss", CheckType.PING, "Packet loss", "%", false, MEAN, List.of(
                    new Trace("Packet loss", "loss"))),
            new ChartDefinition("rtt", CheckType.PING, "Round trip time", "ms", false, MEAN, List.of(
                    new Trace("RTT min", "rtt_min"), new Trace("RTT avg", "rtt_avg"), new Trace("RTT max", "rtt_max"))));

    public static Optional<ChartDefinition> find(String id) {
        return ALL.stream().filter(c -> c.id.equals(id)).findFirst();
    }

    /** Column name of a trace in the InfluxQL answer. */
    public String column(Trace trace) {
        return aggregation + "_" + trace.field();
    }
}
