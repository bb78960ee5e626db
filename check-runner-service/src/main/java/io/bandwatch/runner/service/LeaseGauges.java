package io.bandwatch.runner.service;

import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.runner.repository.ServerRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Prometheus gauges of the server pool and of this replica's runs; the pool's state is read every 2 s. */
@Singleton
public class LeaseGauges {

    private static final Logger LOG = Logger.getLogger(LeaseGauges.class);

    private final LeaseManager leases;
    private final ServerRepository servers;
    private final RunnerEngine engine;
    private final MeterRegistry registry;
    private final AtomicLong queueLength = new AtomicLong();
    private final AtomicLong leased = new AtomicLong();
    private ScheduledExecutorService refresh;

    @Inject
    public LeaseGauges(LeaseManager leases, ServerRepository servers, RunnerEngine engine, MeterRegistry registry) {
        this.leases = leases;
        this.servers = servers;
        this.engine = engine;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("bandwatch_lease_queue_length", queueLength, AtomicLong::doubleValue)
                .description("runs waiting for an iperf3 server, all replicas").register(registry);
        Gauge.builder("bandwatch_lease_servers_leased", leased, AtomicLong::doubleValue)
                .description("iperf3 servers leased now").register(registry);
        Gauge.builder("bandwatch_lease_waiting", leases, LeaseManager::waitingNow)
                .description("runs of this replica waiting for an iperf3 server").register(registry);
        Gauge.builder("bandwatch_lease_waits", leases, m -> m.waitsTotal())
                .description("waits for a server finished by this replica").register(registry);
        Gauge.builder("bandwatch_lease_wait_timeouts", leases, m -> m.waitTimeouts())
                .description("waits that ended with no_server_available").register(registry);
        Gauge.builder("bandwatch_lease_wait_seconds_sum", leases, LeaseManager::waitSecondsTotal)
                .description("total time runs of this replica waited for a server").register(registry);
        Gauge.builder("bandwatch_runs_in_progress", engine, RunnerEngine::inFlight)
                .description("runs in progress on this replica").register(registry);
        refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-gauges");
            t.setDaemon(true);
            return t;
        });
        refresh.scheduleWithFixedDelay(this::refresh, 1, 2, TimeUnit.SECONDS);
    }

    private void refresh() {
        try {
            LeaseManager.PoolState state = leases.state(servers.visible(null).await().atMost(Duration.ofSeconds(10))
                    .stream().map(s -> new ServerRef(s.id(), s.host(), s.port())).toList());
            queueLength.set(state.queues().values().stream().mapToLong(Long::longValue).sum());
            leased.set(state.servers().stream().filter(LeaseManager.ServerState::leased).count());
        } catch (RuntimeException e) {
            LOG.debugf("lease gauges: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresh != null) {
            refresh.shutdownNow();
        }
    }
}
