package io.bandwatch.runner.it;

import io.bandwatch.runner.client.SecretsSource;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.ping.FpingRunner;
import io.bandwatch.runner.repository.CheckRepository;
import io.bandwatch.runner.repository.DeviceRepository;
import io.bandwatch.runner.repository.RunRepository;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.runner.service.CheckRunner;
import io.bandwatch.runner.service.RunnerEngine;
import io.bandwatch.runner.ssh.SshClient;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Another runner replica in the test JVM: its own runner id, its own PostgreSQL pool and Redis client (so its
 * claims, heartbeats and leases are independent of the app's), the same code as the app's replica. "Killing" it
 * stops its scheduler, heartbeats and lease renewals at once and drops its SSH sessions without any cleanup. Its
 * results go to the outbox of {@code runner_test}, which the app's relay publishes (any replica's relay sends every
 * replica's rows): {@code resultsCommitted} is the app relay's wake-up.
 */
public final class SecondReplica implements AutoCloseable {

    public final String runnerId;
    public final RunnerEngine engine;
    public final LeaseManager leases;
    private final Pool pool;
    private final Redis redis;

    public SecondReplica(String runnerId, Vertx vertx, RunnerConfig config, SecretsSource secrets,
            Runnable resultsCommitted) {
        this.runnerId = runnerId;
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase("runner_test")
                        .setUser("bandwatch").setPassword("bandwatch")
                        // as the service's pool (application.properties)
                        .setCachePreparedStatements(ConfigProvider.getConfig().getOptionalValue(
                                "quarkus.datasource.reactive.cache-prepared-statements", Boolean.class).orElse(false)))
                .using(vertx).build();
        this.redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        this.leases = new LeaseManager(redis, runnerId, config.lease().keyPrefix(), config.lease().ttl(), config.lease().poll(),
                config.lease().liveness());
        CheckRunner runner = new CheckRunner(runnerId, new DeviceRepository(pool), new ServerRepository(pool), leases,
                new SshClient(config.ssh().connectTimeout(), config.ssh().maxOutputBytes()), secrets,
                new FpingRunner(config.fpingPath()), config);
        this.engine = new RunnerEngine(runnerId, new CheckRepository(pool), new RunRepository(pool), runner, resultsCommitted,
                config, leases::deadAmong);
    }

    public SecondReplica start() {
        engine.start();
        return this;
    }

    /** What kill -9 leaves behind: claims with a stale heartbeat and leases that only expire. */
    public void kill() {
        engine.crash();
    }

    /**
     * What kill -9 of a replica process leaves behind, as Redis sees it too: besides {@link #kill}, its Redis
     * connections close (the subscribed one with them) and its liveness key is no longer refreshed.
     */
    public void die() {
        engine.crash();
        leases.close();
        redis.close();
        pool.close().await().indefinitely();
    }

    @Override
    public void close() {
        engine.close();
        leases.close();
        pool.close().await().indefinitely();
        redis.close();
    }
}
