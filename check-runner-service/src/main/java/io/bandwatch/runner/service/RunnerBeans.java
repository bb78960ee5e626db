package io.bandwatch.runner.service;

import io.bandwatch.runner.client.InventoryClient;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.messaging.KafkaResultSink;
import io.bandwatch.runner.ping.FpingRunner;
import io.bandwatch.runner.repository.RunnerStore;
import io.bandwatch.runner.ssh.SshClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Wires this replica: store, lease manager, SSH, fping, the check runner and the engine; Prometheus gauges. */
@ApplicationScoped
public class RunnerBeans {

    private static final Logger LOG = Logger.getLogger(RunnerBeans.class);

    @Inject
    RunnerConfig config;

    @Inject
    Pool pool;

    @Inject
    Redis redis;

    @Inject
    InventoryClient inventory;

    @Inject
    KafkaResultSink sink;

    @Inject
    MeterRegistry registry;

    private String runnerId;
    private LeaseManager leases;
    private RunnerStore store;
    private RunnerEngine engine;
    private ScheduledExecutorService gauges;
    private final AtomicLong queueLength = new AtomicLong();
    private final AtomicLong leased = new AtomicLong();

    @Produces
    @Singleton
    RunnerStore store() {
        return storeInstance();
    }

    synchronized RunnerStore storeInstance() {
        if (store == null) {
            store = new RunnerStore(pool);
        }
        return store;
    }

    public synchronized String runnerId() {
        if (runnerId == null) {
            runnerId = config.id().filter(s -> !s.isBlank()).orElseGet(() -> {
                String host;
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (Exception e) {
                    host = "runner";
                }
                return host + "-" + UUID.randomUUID().toString().substring(0, 8);
            });
        }
        return runnerId;
    }

    public synchronized LeaseManager leases() {
        if (leases == null) {
            leases = new LeaseManager(redis, runnerId(), config.lease().keyPrefix(), config.lease().ttl(),
                    config.lease().poll());
        }
        return leases;
    }

    public RunnerEngine engine() {
        return engine;
    }

    void start(@Observes StartupEvent event) {
        LeaseManager leaseManager = leases();
        CheckRunner runner = new CheckRunner(runnerId(), storeInstance(), leaseManager,
                new SshClient(config.ssh().connectTimeout(), config.ssh().maxOutputBytes()), inventory,
                new FpingRunner(config.fpingPath()), config);
        engine = new RunnerEngine(runnerId(), storeInstance(), runner, sink, config);
        Gauge.builder("bandwatch_lease_queue_length", queueLength, AtomicLong::doubleValue)
                .description("runs waiting for an iperf3 server, all replicas").register(registry);
        Gauge.builder("bandwatch_lease_servers_leased", leased, AtomicLong::doubleValue)
                .description("iperf3 servers leased now").register(registry);
        Gauge.builder("bandwatch_lease_waiting", leaseManager, LeaseManager::waitingNow)
                .description("runs of this replica waiting for an iperf3 server").register(registry);
        Gauge.builder("bandwatch_lease_waits", leaseManager, m -> m.waitsTotal())
                .description("waits for a server finished by this replica").register(registry);
        Gauge.builder("bandwatch_lease_wait_timeouts", leaseManager, m -> m.waitTimeouts())
                .description("waits that ended with no_server_available").register(registry);
        Gauge.builder("bandwatch_lease_wait_seconds_sum", leaseManager, LeaseManager::waitSecondsTotal)
                .description("total time runs of this replica waited for a server").register(registry);
        Gauge.builder("bandwatch_runs_in_progress", this, b -> b.engine == null ? 0 : b.engine.inFlight())
                .description("runs in progress on this replica").register(registry);
        gauges = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-gauges");
            t.setDaemon(true);
            return t;
        });
        gauges.scheduleWithFixedDelay(this::refreshGauges, 1, 2, TimeUnit.SECONDS);
        if (config.enabled()) {
            engine.start();
        } else {
            LOG.info("runner disabled (bandwatch.runner.enabled=false): no check is claimed here");
        }
    }

    private void refreshGauges() {
        try {
            LeaseManager.PoolState state = leases().state(storeInstance().servers(null).await()
                    .atMost(java.time.Duration.ofSeconds(10)).stream()
                    .map(s -> new io.bandwatch.runner.lease.ServerRef(s.id(), s.host(), s.port())).toList());
            queueLength.set(state.queues().values().stream().mapToLong(Long::longValue).sum());
            leased.set(state.servers().stream().filter(LeaseManager.ServerState::leased).count());
        } catch (RuntimeException e) {
            LOG.debugf("lease gauges: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (gauges != null) {
            gauges.shutdownNow();
        }
        if (engine != null) {
            engine.close();
        }
        if (leases != null) {
            leases.close();
        }
    }

}
