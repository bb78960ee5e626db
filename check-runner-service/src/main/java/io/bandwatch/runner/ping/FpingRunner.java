package io.bandwatch.runner.ping;

import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.HostNames;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.PingOptions;
import io.bandwatch.runner.config.RunnerConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code fping -e -c COUNT -p INTERVAL -b BYTES -t TIMEOUT -q ADDRESS} from the runner, parsed. */
@Singleton
public class FpingRunner {

    private static final Pattern SUMMARY = Pattern.compile(
            "xmt/rcv/%loss = (\\d+)/(\\d+)/(\\d+(?:\\.\\d+)?)%(?:, min/avg/max = ([\\d.]+)/([\\d.]+)/([\\d.]+))?");

    private final String fping;

    /** As the service configures it ({@code bandwatch.runner.fping-path}). */
    @Inject
    public FpingRunner(RunnerConfig config) {
        this(config.fpingPath());
    }

    public FpingRunner(String fpingPath) {
        this.fping = fpingPath;
    }

    /** What a ping run gave: metrics, or a failure. */
    public record Outcome(PingMetrics metrics, ErrorCode error, String message) {
    }

    public static List<String> command(String fping, String address, PingOptions options) {
        if (!HostNames.isValid(address)) {
            throw new IllegalArgumentException("not a host name or IP address: '" + address + "'");
        }
        return List.of(fping, "-e", "-c", Integer.toString(options.count()), "-p", Integer.toString(options.interval()),
                "-b", Integer.toString(options.bytes()), "-t", Integer.toString(options.timeout()), "-q", address);
    }

    public Outcome run(String address, PingOptions options) {
        List<String> command = command(fping, address, options);
        // every probe may wait for its timeout after the last interval; plus start-up slack
        Duration limit = Duration.ofMillis((long) options.count() * options.interval() + options.timeout() + 5000L);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Outcome(null, ErrorCode.TIMEOUT, "fping did not finish within " + limit.toSeconds() + " s");
            }
            String output = new String(process.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            return parse(output, process.exitValue());
        } catch (IOException e) {
            return new Outcome(null, ErrorCode.FPING_FAILED, "fping could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, ErrorCode.INTERNAL_ERROR, "interrupted");
        }
    }

    /** Parses fping's quiet summary line; exit 0 (all replies) or 1 (some lost) with a summary is a measurement. */
    public static Outcome parse(String output, int exitStatus) {
        Matcher m = SUMMARY.matcher(output);
        if ((exitStatus == 0 || exitStatus == 1) && m.find()) {
            int sent = Integer.parseInt(m.group(1));
            int received = Integer.parseInt(m.group(2));
            double loss = Math.min(100, Double.parseDouble(m.group(3)));
            if (sent == 0) {
                return new Outcome(null, ErrorCode.BAD_OUTPUT, "fping sent nothing: " + output.strip());
            }
            if (received == 0 || m.group(4) == null) {
                return new Outcome(PingMetrics.unreachable(), null, null);
            }
            double min = Double.parseDouble(m.group(4));
            double avg = Double.parseDouble(m.group(5));
            double max = Double.parseDouble(m.group(6));
            return new Outcome(PingMetrics.reachable(loss, min, Math.max(min, Math.min(avg, max)), max), null, null);
        }
        if (exitStatus == 1 || exitStatus == 0) {
            return new Outcome(null, ErrorCode.BAD_OUTPUT, "fping printed no summary: " + excerpt(output));
        }
        return new Outcome(null, ErrorCode.FPING_FAILED, "fping exited with " + exitStatus + ": " + excerpt(output));
    }

    private static String excerpt(String output) {
        String t = output.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
