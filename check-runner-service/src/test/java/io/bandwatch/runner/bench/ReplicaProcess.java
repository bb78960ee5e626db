package io.bandwatch.runner.bench;

import io.bandwatch.events.CheckResult;
import io.bandwatch.runner.client.RunSecrets;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.service.ResultSink;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * One runner replica as an OS process, for {@link PoolChurnBench}'s {@code kill -9}: the replica of
 * {@link PoolBed.Replica} (engine, check runner, leases, SSH) configured by a properties file (argument 1):
 * {@code runner-id}, {@code results} (file the results are appended to, one line each: check id, event id, status,
 * error code, started, finished, runner id), {@code bandwatch.runner.*} overrides, and {@code secret.<check id>} =
 * {@code device id|user|private key file|fingerprint}. Prints {@code READY} when its engine claims.
 */
public final class ReplicaProcess {

    private ReplicaProcess() {
    }

    /** The line a result is written as (read back by {@link PoolChurnBench}). */
    static String line(CheckResult r) {
        return String.join(" ", r.checkId().toString(), r.eventId().toString(), r.status().jsonName(),
                r.error() == null ? "-" : r.error().code().jsonName(), r.startedAt().toString(),
                r.finishedAt().toString(), r.runnerId()) + "\n";
    }

    public static void main(String[] args) throws Exception {
        Properties spec = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            spec.load(in);
        }
        String runnerId = spec.getProperty("runner-id");
        Path results = Path.of(spec.getProperty("results"));
        Map<String, String> overrides = new HashMap<>();
        Map<UUID, RunSecrets> secrets = new HashMap<>();
        for (String key : spec.stringPropertyNames()) {
            String value = spec.getProperty(key);
            if (key.startsWith("bandwatch.runner.")) {
                overrides.put(key, value);
            } else if (key.startsWith("secret.")) {
                String[] f = value.split("\\|", 4);
                secrets.put(UUID.fromString(key.substring("secret.".length())), new RunSecrets(UUID.fromString(f[0]),
                        new RunSecrets.Ssh(f[1], "key", Files.readString(Path.of(f[2])), null, f[3]), null));
            }
        }
        RunnerConfig config = BenchSupport.runnerConfig(overrides);
        ResultSink sink = result -> {
            synchronized (ReplicaProcess.class) {
                try {
                    // written before the run is recorded and its claim released, as check.results is in service
                    Files.writeString(results, line(result), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Vertx vertx = Vertx.vertx();
        PoolBed.Replica replica = new PoolBed.Replica(runnerId, vertx, config, new PoolBed.BedSecrets(secrets), sink);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            replica.close();
            stopped.countDown();
        }));
        replica.start();
        System.out.println("READY " + runnerId);
        System.out.flush();
        stopped.await();
    }
}
