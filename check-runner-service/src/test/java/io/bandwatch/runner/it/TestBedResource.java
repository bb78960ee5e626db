package io.bandwatch.runner.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Starts, once per test JVM, what the runner's tests need besides the shared infrastructure: the device test
 * bed (deploy/local/testbed, own state folder under target/), a stand-in for inventory's token and internal
 * endpoints, and a collector of {@code check.results}. Points the app at them with short lease and heartbeat
 * times, and gives its Kafka consumers a fresh group that starts at the end of the topics.
 */
public class TestBedResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Harness.startOnce();
        String group = "check-runner-test-" + UUID.randomUUID();
        Map<String, String> config = new HashMap<>();
        config.put("bandwatch.inventory.url", Harness.inventory().url());
        config.put("bandwatch.inventory.service-password", Harness.inventory().servicePassword());
        config.put("bandwatch.runner.id", Harness.RUNNER_A);
        config.put("bandwatch.runner.lease.key-prefix", Harness.LEASE_PREFIX);
        config.put("bandwatch.runner.lease.ttl", "6s");
        config.put("bandwatch.runner.lease.max-wait", Harness.MAX_WAIT.toSeconds() + "s");
        config.put("bandwatch.runner.lease.poll", "200ms");
        config.put("bandwatch.runner.heartbeat-interval", "1s");
        config.put("bandwatch.runner.heartbeat-timeout", "8s");
        config.put("bandwatch.runner.poll-interval", "200ms");
        config.put("bandwatch.runner.max-concurrent-runs", "8");
        config.put("bandwatch.runner.ssh.connect-timeout", "5s");
        config.put("bandwatch.runner.iperf3.timeout-slack", "4s");
        for (String channel : new String[] {"inventory.devices", "inventory.iperf3-servers", "inventory.checks",
                "check.requests"}) {
            config.put("mp.messaging.incoming.\"" + channel + "\".group.id", group);
            config.put("mp.messaging.incoming.\"" + channel + "\".auto.offset.reset", "latest");
        }
        return config;
    }

    @Override
    public void stop() {
        Harness.stopAll();
    }
}
