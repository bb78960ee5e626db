package io.bandwatch.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU time went during a bench phase, by process group, read from Linux's {@code /proc}: this
 * JVM (the service code or the bench's reference, whichever the phase runs), PostgreSQL's processes, the Kafka broker,
 * InfluxDB (influxd and the nginx in front of it), the rest, and the whole machine. On a 2-core machine where the
 * service, its databases and the reference share the cores, a rate is bounded by the CPU a unit of work costs all of
 * them together; this is what shows it.
 *
 * <p>Times are in clock ticks of {@code USER_HZ} (100 a second on Linux, whatever the kernel's HZ), so a phase
 * should last a second or more. A process that ends between two samples takes its time out of its group (it stays in
 * the machine's and so shows as "other").
 */
public final class ProcessCpu {

    /** Linux's USER_HZ: the unit of the times in /proc/[pid]/stat and /proc/stat. */
    private static final double TICKS_PER_SECOND = 100;

    /** The groups read from the processes' own times. */
    private static final List<String> MEASURED = List.of("jvm", "postgres", "kafka", "influxdb");

    /** The groups, in print order; "other" and "machine" are computed. */
    public static final List<String> GROUPS = List.of("jvm", "postgres", "kafka", "influxdb", "other", "machine");

    private ProcessCpu() {
    }

    /** CPU ticks used so far: per group, and by the whole machine (every state but idle and iowait). */
    public record Sample(Map<String, Long> ticks, long machine) {
    }

    /** One pass over /proc: each process's time added to its group's, if it has one. */
    public static Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String group : MEASURED) {
            ticks.put(group, 0L);
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                String group = pid == self ? "jvm" : groupOf(pid);
                if (group != null) {
                    ticks.merge(group, ticksOf(pid), Long::sum);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return new Sample(ticks, machineBusy());
    }

    /** The group of another process, by its command name (and, for a JVM, its command line); null for the rest. */
    private static String groupOf(long pid) {
        return switch (comm(pid)) {
            case "postgres" -> "postgres";
            case "influxd", "nginx" -> "influxdb";
            case "java" -> cmdline(pid).contains("kafka.Kafka") ? "kafka" : null;
            default -> null;
        };
    }

    /**
     * The bench figures of {@link #microsPer}: the whole machine's as {@code key}, each group's as {@code key.<group>}
     * ({@code bandwatch bench} reads the machine's and PostgreSQL's by these names).
     */
    public static Map<String, Double> figures(String key, Map<String, Double> micros) {
        Map<String, Double> out = new LinkedHashMap<>();
        micros.forEach((group, us) -> out.put(group.equals("machine") ? key : key + "." + group, us));
        return out;
    }

    /** CPU seconds per group between two samples, with "other" (machine minus the groups) and "machine". */
    public static Map<String, Double> seconds(Sample before, Sample after) {
        Map<String, Double> out = new LinkedHashMap<>();
        long named = 0;
        for (Map.Entry<String, Long> e : after.ticks().entrySet()) {
            long d = Math.max(0, e.getValue() - before.ticks().getOrDefault(e.getKey(), 0L));
            named += d;
            out.put(e.getKey(), d / TICKS_PER_SECOND);
        }
        long machine = Math.max(0, after.machine() - before.machine());
        out.put("other", Math.max(0, machine - named) / TICKS_PER_SECOND);
        out.put("machine", machine / TICKS_PER_SECOND);
        return out;
    }

    /** {@link #seconds} as microseconds per unit of work (result, point). */
    public static Map<String, Double> microsPer(Sample before, Sample after, long units) {
        Map<String, Double> out = new LinkedHashMap<>();
        seconds(before, after).forEach((group, s) -> out.put(group, units == 0 ? 0 : s * 1e6 / units));
        return out;
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/[pid]/stat, counted after the command's parenthesis). */
    static long ticksOf(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return 0; // the process ended
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The first line of /proc/stat: user nice system idle iowait irq softirq steal ...; busy = all but idle, iowait. */
    static long machineBusy() {
        String[] f = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    private static String comm(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "comm")).strip();
    }

    private static String cmdline(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "cmdline"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // a process that ended while we looked
        }
    }
}
