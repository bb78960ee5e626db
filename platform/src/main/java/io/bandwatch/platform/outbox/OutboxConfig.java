package io.bandwatch.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code bandwatch.outbox.*}: the outbox relay of a service (environment {@code BANDWATCH_OUTBOX_*}). */
@ConfigMapping(prefix = "bandwatch.outbox")
public interface OutboxConfig {

    /**
     * Build time: the service has an {@code outbox} table and runs the relay (inventory, runner and alert set it
     * true). Services without one (metrics) get neither the relay nor its readiness check.
     */
    @WithDefault("false")
    boolean enabled();

    /** Pause between two relay passes when the outbox is drained, another replica is sending, or a pass failed. */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Rows read, sent and marked per transaction. */
    @WithDefault("200")
    int batchSize();

    /** How long one record may take to be acknowledged by every in-sync replica (the producer's delivery timeout). */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Timeout of one database statement of the relay. */
    @WithDefault("15s")
    Duration dbTimeout();

    /** Sent rows older than this are deleted (the topic holds the events; the rows are only for inspection). */
    @WithDefault("7d")
    Duration retention();

    /** How often sent rows past the retention are deleted. */
    @WithDefault("1h")
    Duration pruneInterval();

    /** The CloudEvents {@code ce_source}; default {@code /bandwatch/<quarkus.application.name>}. */
    Optional<String> source();

    /** The brokers the relay publishes to; default {@code kafka.bootstrap.servers}. */
    Optional<String> bootstrapServers();
}
