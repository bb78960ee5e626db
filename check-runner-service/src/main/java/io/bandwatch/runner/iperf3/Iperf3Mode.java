package io.bandwatch.runner.iperf3;

/** The two iperf3 runs of a check, in the order they run. */
public enum Iperf3Mode {
    TCP,
    UDP
}
