package io.bandwatch.runner.service;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.platform.tracing.Traces;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.config.RunnerIdentity;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.CheckRepository.Claim;
import io.bandwatch.runner.repository.RunRepository;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One runner replica: claims due checks from the database (at most {@code max-concurrent-runs} in progress),
 * runs them on worker threads, keeps their heartbeat fresh, and records each finished run with its result in the
 * outbox ({@link RunRepository#finish}, one transaction); the outbox relay publishes it on {@code check.results}.
 */
@Singleton
public class RunnerEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunnerEngine.class);

    private final String runnerId;
    private final CheckRepository checks;
    private final RunRepository runs;
    private final CheckRunner runner;
    private final Runnable resultsCommitted;
    private final RunnerConfig config;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Map<UUID, Claim> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Asks Redis which of the given replicas are dead ({@link LeaseManager#deadAmong}). */
    private final Function<Collection<String>, Set<String>> deadAmong;
    /** Replicas found dead at the last look: their claims are taken over at once. */
    private volatile Set<String> deadRunners = Set.of();
    private volatile boolean stopped;
    private volatile boolean claiming = true;

    /**
     * This replica's engine; started at start-up unless {@code bandwatch.runner.enabled=false}. A recorded run wakes
     * the service's outbox relay, so its result leaves at once instead of at the relay's next poll.
     */
    @Inject
    public RunnerEngine(RunnerIdentity identity, CheckRepository checks, RunRepository runs, CheckRunner runner,
            OutboxRelay relay, RunnerConfig config, LeaseManager leases) {
        this(identity.id(), checks, runs, runner, relay::wakeUp, config, leases::deadAmong);
    }

    /**
     * @param resultsCommitted called after a run and its result's outbox row committed (a relay's wake-up; the
     *                         relay's poll publishes the row anyway)
     */
    public RunnerEngine(String runnerId, CheckRepository checks, RunRepository runs, CheckRunner runner,
            Runnable resultsCommitted, RunnerConfig config) {
        this(runnerId, checks, runs, runner, resultsCommitted, config, runners -> Set.of());
    }

    /**
     * @param deadAmong which of the given replicas are known to be dead (their claims are taken over before the
     *                  heartbeat timeout); an empty set where that is not known
     */
    public RunnerEngine(String runnerId, CheckRepository checks, RunRepository runs, CheckRunner runner,
            Runnable resultsCommitted, RunnerConfig config, Function<Collection<String>, Set<String>> deadAmong) {
        this.runnerId = runnerId;
        this.deadAmong = deadAmong;
        this.checks = checks;
        this.runs = runs;
        this.runner = runner;
        this.resultsCommitted = resultsCommitted;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.maxConcurrentRuns(), r -> {
            Thread t = new Thread(r, "run-" + runnerId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timers = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "scheduler-" + runnerId);
            t.setDaemon(true);
            return t;
        });
    }

    public String runnerId() {
        return runnerId;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        } else {
            LOG.info("runner disabled (bandwatch.runner.enabled=false): no check is claimed here");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    public void start() {
        timers.scheduleWithFixedDelay(this::claimDue, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::beat, config.heartbeatInterval().toMillis(),
                config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::lookForDeadReplicas, LIVENESS_LOOK.toMillis(), LIVENESS_LOOK.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("runner %s started: at most %d concurrent runs", runnerId, config.maxConcurrentRuns());
    }

    /** Runs in progress on this replica. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Drain mode: false stops claiming new runs (runs in progress go on); true resumes. */
    public void setClaiming(boolean claiming) {
        this.claiming = claiming;
    }

    void claimDue() {
        if (stopped || !claiming) {
            return;
        }
        try {
            while (!stopped && claiming) {
                int free = config.maxConcurrentRuns() - inFlight.get();
                if (free <= 0) {
                    return;
                }
                Instant claimFrom = Instant.now();
                List<Claim> claims = checks.claim(runnerId, Math.min(free, config.claimBatchSize()), config.heartbeatTimeout(),
                        deadRunners);
                Instant claimTo = Instant.now();
                if (claims.isEmpty()) {
                    return;
                }
                for (Claim claim : claims) {
                    inFlight.incrementAndGet();
                    running.put(claim.runId(), claim);
                    workers.execute(() -> execute(claim, claimFrom, claimTo));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("claiming due checks: %s", e.getMessage());
        }
    }

    /** How often a replica looks for dead replicas among those whose claims' heartbeat is late. */
    static final Duration LIVENESS_LOOK = Duration.ofSeconds(1);

    /**
     * Replicas whose claims' heartbeat is more than one interval (plus a second) old are asked about in Redis; those
     * found dead (connection closed and liveness key expired) have their claims taken over at the next claim.
     */
    private void lookForDeadReplicas() {
        if (stopped) {
            return;
        }
        try {
            List<String> late = checks.claimantsBehind(runnerId,
                    Instant.now().minus(config.heartbeatInterval()).minus(LIVENESS_LOOK));
            Set<String> dead = late.isEmpty() ? Set.of() : deadAmong.apply(late);
            if (!dead.isEmpty() && !dead.equals(deadRunners)) {
                LOG.infof("replicas %s are dead (Redis connection closed, liveness key expired): their claims are"
                        + " taken over now", dead);
            }
            deadRunners = dead;
        } catch (RuntimeException e) {
            deadRunners = Set.of(); // unknown: the heartbeat timeout decides
            LOG.debugf("looking for dead replicas: %s", e.getMessage());
        }
    }

    private void beat() {
        if (stopped) {
            return;
        }
        try {
            checks.heartbeat(runnerId, List.copyOf(running.keySet()));
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat: %s", e.getMessage());
        }
    }

    private void execute(Claim claim, Instant claimFrom, Instant claimTo) {
        Span span = RunSpans.start(claim, claimFrom, claimTo);
        try (Scope scope = span.makeCurrent()) {
            execute(claim);
        } finally {
            span.end();
        }
    }

    private void execute(Claim claim) {
        try {
            CheckSnapshot check = claim.snapshot();
            // the claim's run id is the result's event id (new for every claim, a takeover included), so the live
            // state of a check finds its lease and queue place, which carry that id
            UUID eventId = claim.runId();
            CheckRunner.RunOutcome outcome = runner.run(check, eventId);
            if (stopped || runner.crashed()) {
                return;
            }
            CheckResult result = outcome.result();
            Span.current().setAttribute(RunSpans.STATUS, result.status().jsonName());
            // the statements run on the pool's event loop, where this span is not current: its context is taken here
            boolean recorded = runs.finish(new RunRepository.FinishedRun(result.eventId(), result.checkId(), claim.runId(), result.deviceId(),
                    result.organizationId(), result.type().jsonName(), claim.trigger(), runnerId, result.startedAt(),
                    result.finishedAt(), result.status().jsonName(),
                    result.error() == null ? null : result.error().code().jsonName(),
                    result.error() == null ? null : result.error().message(),
                    result.server() == null ? null : result.server().id(),
                    result.server() == null ? null : result.server().host(),
                    result.server() == null ? null : result.server().port(),
                    result.server() == null ? null : result.server().fencingToken(), outcome.leaseWaitMs(),
                    outcome.leasedAt()), result, Traces.traceparent());
            if (recorded) {
                resultsCommitted.run();
            } else {
                LOG.warnf("run %s of check %s finished after its claim was taken over by another run (heartbeat older"
                        + " than %s): its result is dropped, the other run publishes the check's", claim.runId(),
                        claim.checkId(), config.heartbeatTimeout());
            }
        } catch (RuntimeException e) {
            // nothing committed: the claim stays with a heartbeat that stops now, the check is taken over and run again
            LOG.errorf(e, "run %s of check %s could not be recorded; it will be run again", claim.runId(),
                    claim.checkId());
        } finally {
            running.remove(claim.runId());
            inFlight.decrementAndGet();
        }
    }

    /** Simulates a killed replica: stops claiming and heart-beating at once, drops its SSH sessions, keeps its leases. */
    public void crash() {
        stopped = true;
        timers.shutdownNow();
        runner.crash();
        workers.shutdownNow();
    }

    @Override
    public void close() {
        stopped = true;
        timers.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
