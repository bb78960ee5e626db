package io.bandwatch.runner.iperf3;

import io.bandwatch.events.ErrorCode;

/**
 * The outcome of one iperf3 mode: either its figures or a failure code with a message.
 *
 * @param bitsPerSecondSent     TCP sum_sent / UDP sum bits per second
 * @param bitsPerSecondReceived TCP sum_received (UDP: receiver side, unused in the 12 fields)
 * @param bytesSent             bytes sent
 * @param bytesReceived         bytes received (TCP)
 * @param retransmits           TCP retransmits
 * @param jitterMs              UDP jitter
 * @param packets               UDP datagrams
 * @param lostPackets           UDP datagrams lost
 * @param lostPercent           UDP loss, clamped to 0-100
 */
public record ModeResult(Iperf3Mode mode, ErrorCode error, String message, Double bitsPerSecondSent,
        Double bitsPerSecondReceived, Long bytesSent, Long bytesReceived, Long retransmits, Double jitterMs,
        Long packets, Long lostPackets, Double lostPercent) {

    public static ModeResult failed(Iperf3Mode mode, ErrorCode code, String message) {
        return new ModeResult(mode, code, message, null, null, null, null, null, null, null, null, null);
    }

    public boolean ok() {
        return error == null;
    }
}
