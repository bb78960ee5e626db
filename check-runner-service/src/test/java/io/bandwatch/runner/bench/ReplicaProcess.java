package io.bandwatch.runner.bench;

import io.bandwatch.runner.client.RunSecrets;
import io.bandwatch.runner.config.RunnerConfig;
import io.vertx.mutiny.core.Vertx;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * One runner replica as an OS process, for {@link PoolChurnBench}'s {@code kill -9}: the replica of
 * {@link PoolBed.Replica} (engine, check runner, leases, SSH, outbox relay) configured by a properties file
 * (argument 1): {@code runner-id}, {@code bandwatch.runner.*} overrides, and {@code secret.<check id>} =
 * {@code device id|user|private key file|fingerprint}. Its results go where the service's go: the outbox, in the
 * transaction that records the run, published by the relay. Prints {@code READY} when its engine claims.
 */
public final class ReplicaProcess {

    private ReplicaProcess() {
    }

    public static void main(String[] args) throws Exception {
        Properties spec = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            spec.load(in);
        }
        String runnerId = spec.getProperty("runner-id");
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
        Vertx vertx = Vertx.vertx();
        PoolBed.Replica replica = new PoolBed.Replica(runnerId, vertx, config, new PoolBed.BedSecrets(secrets));
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
