package io.bandwatch.runner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Runner settings ({@code bandwatch.runner.*}, environment {@code BANDWATCH_RUNNER_*}). */
@ConfigMapping(prefix = "bandwatch.runner")
public interface RunnerConfig {

    /** This replica's id (pod name); default: the host name plus a random suffix. */
    Optional<String> id();

    /** Whether this replica claims and runs checks (false: REST and projections only). */
    @WithDefault("true")
    boolean enabled();

    /** Runs in progress at most on this replica (iperf3 and ping together). */
    @WithDefault("8")
    int maxConcurrentRuns();

    /** Rows claimed per transaction at most. */
    @WithDefault("4")
    int claimBatchSize();

    /**
     * How often the scheduler looks for due checks when none was due at the last look: bounds the lateness of a run
     * (SchedulerBench: p99 about 1 s at 1 s; a look is one indexed query).
     */
    @WithDefault("250ms")
    Duration pollInterval();

    /** How often a replica refreshes the heartbeat of its runs. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** A claim whose heartbeat is older than this is taken over by another replica. */
    @WithDefault("30s")
    Duration heartbeatTimeout();

    Lease lease();

    Ssh ssh();

    Iperf3 iperf3();

    /** fping binary on the runner. */
    @WithDefault("/usr/bin/fping")
    String fpingPath();

    interface Lease {
        /** Redis key prefix of leases, fencing counters and wait queues. */
        @WithDefault("bw:")
        String keyPrefix();

        /** Lease time-to-live; renewed every third of it while a test runs. */
        @WithDefault("30s")
        Duration ttl();

        /** Longest wait for a free server before the run ends with no_server_available. */
        @WithDefault("30m")
        Duration maxWait();

        /** Longest sleep of a waiter between attempts (a release wakes waiters at once). */
        @WithDefault("250ms")
        Duration poll();

        /**
         * Time-to-live of a replica's liveness key in Redis, refreshed every third of it. A replica counts as dead
         * (its leases and claims are taken over before their TTL and heartbeat timeout) only when this key expired
         * <em>and</em> its subscribed Redis connection is gone: a paused replica keeps its connection, so no pause
         * makes it look dead (README "Churn").
         */
        @WithDefault("3s")
        Duration liveness();

        /**
         * Added to a time-bounded iperf3 test's length and connect timeout: how long the test of a dead replica may
         * still run on the server on its own before its lease is taken over (byte and block-count tests: the
         * device-side timeout).
         */
        @WithDefault("5s")
        Duration orphanMargin();
    }

    interface Ssh {
        /** TCP connect plus SSH handshake and login. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Output kept per stream of a command; the rest is dropped. */
        @WithDefault("1048576")
        int maxOutputBytes();
    }

    interface Iperf3 {
        /** Added to the test length for the device-side {@code timeout} of each mode. */
        @WithDefault("15s")
        Duration timeoutSlack();

        /** Added on top for the runner-side deadline of each SSH command. */
        @WithDefault("10s")
        Duration commandSlack();
    }
}
