package io.bandwatch.runner.config;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.UUID;

/** This replica's id (pod name) in claims, leases and results: {@code bandwatch.runner.id}, else host + suffix. */
@Singleton
public class RunnerIdentity {

    private final String id;

    @Inject
    public RunnerIdentity(RunnerConfig config) {
        this.id = config.id().filter(s -> !s.isBlank()).orElseGet(() -> {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "runner";
            }
            return host + "-" + UUID.randomUUID().toString().substring(0, 8);
        });
    }

    public String id() {
        return id;
    }
}
