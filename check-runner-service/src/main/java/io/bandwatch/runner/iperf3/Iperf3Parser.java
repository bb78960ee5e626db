package io.bandwatch.runner.iperf3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import java.util.Locale;

/**
 * Turns what iperf3 printed (stdout, stderr, exit status) into a {@link ModeResult}, and two of them into
 * the 12 fields. iperf3 3.12 exits 0 even on errors with {@code --json}, so the {@code error} member is
 * checked as well as the exit status.
 */
public final class Iperf3Parser {

    /** Exit status of {@code timeout} when it had to stop the command. */
    public static final int TIMEOUT_EXIT = 124;
    /** Exit status of the shell for a command that is not on PATH. */
    public static final int NOT_FOUND_EXIT = 127;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Iperf3Parser() {
    }

    public static ModeResult parse(Iperf3Mode mode, String stdout, String stderr, int exitStatus) {
        String err = stderr == null ? "" : stderr.strip();
        if (exitStatus == NOT_FOUND_EXIT || (exitStatus != 0 && err.contains("iperf3: not found"))) {
            return ModeResult.failed(mode, ErrorCode.IPERF3_NOT_INSTALLED,
                    "iperf3 is not installed on the device (exit " + exitStatus + ")" + suffix(err));
        }
        if (exitStatus == Iperf3Command.SETUP_FAILED) {
            return ModeResult.failed(mode, ErrorCode.INTERNAL_ERROR,
                    "could not write the iperf3 public key on the device" + suffix(err));
        }
        JsonNode root;
        try {
            root = stdout == null || stdout.isBlank() ? null : JSON.readTree(stdout);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (exitStatus == TIMEOUT_EXIT) {
            String detail = root != null && root.hasNonNull("error") ? ": " + root.get("error").asText() : "";
            return ModeResult.failed(mode, ErrorCode.TIMEOUT,
                    "iperf3 " + name(mode) + " test did not finish in time and was stopped" + detail);
        }
        if (root == null || !root.isObject()) {
            return ModeResult.failed(mode, ErrorCode.BAD_OUTPUT, "iperf3 " + name(mode)
                    + " printed no JSON (exit " + exitStatus + "): " + excerpt(stdout) + suffix(err));
        }
        if (root.hasNonNull("error")) {
            String error = root.get("error").asText();
            return ModeResult.failed(mode, classify(error), "iperf3 " + name(mode) + ": " + error);
        }
        if (exitStatus != 0) {
            return ModeResult.failed(mode, ErrorCode.BAD_OUTPUT,
                    "iperf3 " + name(mode) + " exited with " + exitStatus + suffix(err));
        }
        JsonNode end = root.path("end");
        try {
            if (mode == Iperf3Mode.TCP) {
                JsonNode sent = end.path("sum_sent");
                JsonNode received = end.path("sum_received");
                if (!sent.isObject() || !received.isObject()) {
                    return ModeResult.failed(mode, ErrorCode.BAD_OUTPUT, "iperf3 TCP JSON has no end.sum_sent/end.sum_received");
                }
                return new ModeResult(mode, null, null, number(sent, "bits_per_second"),
                        number(received, "bits_per_second"), integer(sent, "bytes"), integer(received, "bytes"),
                        sent.has("retransmits") ? integer(sent, "retransmits") : 0L, null, null, null, null);
            }
            JsonNode sum = end.path("sum");
            if (!sum.isObject()) {
                return ModeResult.failed(mode, ErrorCode.BAD_OUTPUT, "iperf3 UDP JSON has no end.sum");
            }
            // jitter and loss from the receiver side: end.sum_sent's are always 0 in UDP
            JsonNode receiver = end.path("sum_received").isObject() ? end.path("sum_received") : sum;
            double lost = Math.max(0, Math.min(100, number(receiver, "lost_percent")));
            return new ModeResult(mode, null, null, number(sum, "bits_per_second"),
                    number(receiver, "bits_per_second"), integer(sum, "bytes"), integer(receiver, "bytes"), null,
                    number(receiver, "jitter_ms"), integer(receiver, "packets"),
                    Math.max(0, integer(receiver, "lost_packets")), lost);
        } catch (IllegalArgumentException e) {
            return ModeResult.failed(mode, ErrorCode.BAD_OUTPUT, "iperf3 " + name(mode) + " JSON: " + e.getMessage());
        }
    }

    /** The failure code of an iperf3 error string (REFERENCE.md's list). */
    public static ErrorCode classify(String error) {
        String e = error.toLowerCase(Locale.ROOT);
        if (e.contains("server is busy")) {
            return ErrorCode.SERVER_BUSY;
        }
        if (e.contains("connection refused")) {
            return ErrorCode.CONNECTION_REFUSED;
        }
        if (e.contains("authorization failed") || e.contains("authentication")) {
            return ErrorCode.AUTH_FAILED;
        }
        if (e.contains("timed out") || e.contains("timeout")) {
            return ErrorCode.TIMEOUT;
        }
        if (e.contains("unable to connect") || e.contains("name or service not known") || e.contains("no route")) {
            return ErrorCode.CONNECTION_REFUSED;
        }
        // "the server has terminated", "control socket has closed unexpectedly", ...: the test produced nothing usable
        return ErrorCode.BAD_OUTPUT;
    }

    /** The 12 fields from the TCP and UDP outcomes; iperf3_result 1 when at least one mode succeeded. */
    public static Iperf3Metrics metrics(ModeResult tcp, ModeResult udp) {
        boolean tcpOk = tcp != null && tcp.ok();
        boolean udpOk = udp != null && udp.ok();
        if (!tcpOk && !udpOk) {
            return Iperf3Metrics.failed();
        }
        return new Iperf3Metrics(1,
                tcpOk ? tcp.bitsPerSecondSent() : null,
                tcpOk ? tcp.bitsPerSecondReceived() : null,
                tcpOk ? tcp.bytesSent() : null,
                tcpOk ? tcp.bytesReceived() : null,
                tcpOk ? tcp.retransmits() : null,
                udpOk ? udp.bitsPerSecondSent() : null,
                udpOk ? udp.bytesSent() : null,
                udpOk ? udp.jitterMs() : null,
                udpOk ? udp.packets() : null,
                udpOk ? udp.lostPackets() : null,
                udpOk ? udp.lostPercent() : null);
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("missing number '" + field + "'");
        }
        return Math.max(0, value.asDouble());
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("missing number '" + field + "'");
        }
        return Math.max(0, value.asLong());
    }

    private static String name(Iperf3Mode mode) {
        return mode.name();
    }

    private static String suffix(String stderr) {
        return stderr.isEmpty() ? "" : " (" + excerpt(stderr) + ")";
    }

    private static String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "(nothing)";
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
