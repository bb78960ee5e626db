package io.bandwatch.console.bench;

import io.bandwatch.console.support.RealInventory;
import io.bandwatch.testing.ServiceProcess;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fleet bench's services as child processes, each on bench-only data: inventory-service (database
 * {@value #INVENTORY_DB}), check-runner-service (database {@value #RUNNER_DB}) and metrics-service (InfluxDB
 * database {@value #INFLUX_DB}), on the shared PostgreSQL, Kafka, Redis and InfluxDB. Alert is not needed by the
 * fleet list without failing_field.
 */
public class BenchStack implements QuarkusTestResourceLifecycleManager {

    public static final String INVENTORY_DB = "inventory_console_bench";
    public static final String RUNNER_DB = "runner_console_bench";
    public static final String INFLUX_DB = "bandwatch_console_bench";
    static final String ADMIN_PASSWORD = RealInventory.secret();
    /** As deploy/local/bandwatch starts the services (its default heap), with the full JIT. */
    static final List<String> JVM = List.of("-Xmx256m");
    static ServiceProcess inventory;
    static ServiceProcess runner;
    static ServiceProcess metrics;

    @Override
    public Map<String, String> start() {
        RealInventory.recreateDatabase(INVENTORY_DB);
        RealInventory.recreateDatabase(RUNNER_DB);
        String runnerPassword = RealInventory.secret();
        Map<String, String> inv = RealInventory.inventoryConfig(INVENTORY_DB, ADMIN_PASSWORD);
        inv.put("bandwatch.auth.service-accounts.check-runner.password", runnerPassword);
        inventory = ServiceProcess.start("inventory-for-bench", ServiceProcess.jar("inventory-service"),
                ServiceProcess.freePort(), inv, JVM);

        Map<String, String> run = new HashMap<>();
        run.put("quarkus.datasource.password", "bandwatch");
        run.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + RUNNER_DB);
        run.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + RUNNER_DB);
        run.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        run.put("quarkus.redis.hosts", "redis://127.0.0.1:6379");
        run.put("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        run.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        run.put("bandwatch.inventory.url", inventory.url());
        run.put("bandwatch.inventory.service-username", "check-runner");
        run.put("bandwatch.inventory.service-password", runnerPassword);
        run.put("bandwatch.runner.id", "runner-console-bench");
        run.put("bandwatch.runner.lease.key-prefix", "bwbench:" + UUID.randomUUID().toString().substring(0, 8) + ":");
        String group = "runner-console-bench-" + UUID.randomUUID();
        for (String channel : new String[] {"inventory.devices", "inventory.iperf3-servers", "inventory.checks",
                "check.requests"}) {
            run.put("mp.messaging.incoming.\"" + channel + "\".group.id", group);
            run.put("mp.messaging.incoming.\"" + channel + "\".auto.offset.reset", "latest");
        }
        runner = ServiceProcess.start("runner-for-bench", ServiceProcess.jar("check-runner-service"),
                ServiceProcess.freePort(), run, JVM);

        Map<String, String> met = new HashMap<>();
        met.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        met.put("mp.jwt.verify.publickey.location", TestJwt.instance().publicKeyPath().toString());
        met.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        met.put("bandwatch.influx.url", "http://127.0.0.1:8086");
        met.put("bandwatch.influx.database", INFLUX_DB);
        // results of this bench are written to InfluxDB directly: consume nothing of check.results
        met.put("mp.messaging.incoming.\"check.results\".group.id", "metrics-console-bench-" + UUID.randomUUID());
        met.put("mp.messaging.incoming.\"check.results\".auto.offset.reset", "latest");
        metrics = ServiceProcess.start("metrics-for-bench", ServiceProcess.jar("metrics-service"),
                ServiceProcess.freePort(), met, JVM);

        Duration start = Duration.ofSeconds(180);
        inventory.awaitReady(start);
        runner.awaitReady(start);
        metrics.awaitReady(start);
        Map<String, String> config = new HashMap<>();
        config.put("bandwatch.console.services.inventory", inventory.url());
        config.put("bandwatch.console.services.runner", runner.url());
        config.put("bandwatch.console.services.metrics", metrics.url());
        config.put("bandwatch.console.services.alert", "http://127.0.0.1:" + ServiceProcess.freePort());
        return config;
    }

    @Override
    public void stop() {
        for (ServiceProcess p : new ServiceProcess[] {metrics, runner, inventory}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
