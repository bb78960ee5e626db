package io.bandwatch.runner.service;

import io.bandwatch.runner.repository.CheckRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code bandwatch_schedule_due_checks}: checks due now and not claimed yet, all replicas (the due-check backlog
 * KEDA scales the runner on). Counted in PostgreSQL at most every {@link #MAX_AGE}, when the gauge is read (a
 * scrape returns the last count and starts the next one, without waiting for it).
 */
@Singleton
public class ScheduleGauges {

    private static final Logger LOG = Logger.getLogger(ScheduleGauges.class);
    /** Age past which a read of the gauge starts a new count. */
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final CheckRepository checks;
    private final MeterRegistry registry;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile long due;
    private volatile long countedAt = Long.MIN_VALUE / 2;

    @Inject
    public ScheduleGauges(CheckRepository checks, MeterRegistry registry) {
        this.checks = checks;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("bandwatch_schedule_due_checks", this, ScheduleGauges::dueChecks)
                .description("checks due now and not claimed yet, all replicas (counted at most every 5 s)")
                .register(registry);
    }

    double dueChecks() {
        long now = System.nanoTime();
        if (now - countedAt > MAX_AGE.toNanos() && counting.compareAndSet(false, true)) {
            checks.dueBacklog().subscribe().with(n -> {
                due = n;
                countedAt = System.nanoTime();
                counting.set(false);
            }, e -> {
                LOG.debugf("due checks gauge: %s", e.getMessage());
                countedAt = System.nanoTime();
                counting.set(false);
            });
        }
        return due;
    }
}
