package io.bandwatch.runner.lease;

import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.config.RunnerIdentity;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * iperf3 server leases in Redis: one test per server at a time, across runner replicas and organizations.
 *
 * <ul>
 * <li>Lease: key {@code <prefix>lease:<server id>} set with {@code SET PX} only when absent, in a Lua script
 *     that also takes the fencing token from {@code INCR <prefix>fence:<server id>} (so tokens increase per
 *     lease of that server); value {@code token|holder|run|since-millis}.</li>
 * <li>Renewal every TTL/3 while the test runs (compare-and-{@code PEXPIRE}); release by compare-and-delete.
 *     A runner that dies loses its leases when the TTL runs out.</li>
 * <li>Wait queue: a sorted set per pool (the sorted list of server ids), scored by a global ticket, so
 *     waiters are served first come first served; only the head of a queue may take a server. Each waiter
 *     keeps a short-lived liveness key; a waiter at the head is dropped when that key expired or its replica has no
 *     subscribed connection (killed; a live one dropped so re-queues with its ticket at its next attempt). A release or a take is
 *     published on {@code <prefix>lease-events} and wakes the waiters at once (a short poll is the
 *     fallback).</li>
 * </ul>
 * Blocking methods: call them from worker threads only. Reads ({@link #state}, {@link #place}) write nothing.
 */
@Singleton
public class LeaseManager implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseManager.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The one definition of a dead replica, for {@link #TAKE} and {@link #DEAD}: {@code connected(h)}, a connection of
     * replica {@code h} is subscribed to its own channel; {@code isDead(h)}, it is not and its liveness key expired.
     * The script that uses it sets {@code aliveChannel} and {@code aliveKey} (the two key prefixes) first.
     */
    private static final String LIVENESS = """
            local subscribed = {}
            local function connected(h)
              if subscribed[h] == nil then
                local subs = redis.call('pubsub', 'numsub', aliveChannel .. h)
                subscribed[h] = tonumber(subs[2]) > 0
              end
              return subscribed[h]
            end
            local function isDead(h)
              return not connected(h) and redis.call('exists', aliveKey .. h) == 0
            end
            """;
    private static final String TAKE = """
            local q = KEYS[1]
            local n = tonumber(ARGV[5])
            local aliveChannel, aliveKey = ARGV[6], ARGV[7]
            """ + LIVENESS + """
            while true do
              local head = redis.call('zrange', q, 0, 0)
              if #head == 0 then return {-2} end
              if head[1] == ARGV[1] then break end
              local wh = string.match(head[1], '^(.*)/[^/]*$')
              if redis.call('exists', ARGV[4] .. head[1]) == 0 or (wh and not connected(wh)) then
                redis.call('zrem', q, head[1])
              else
                return {-1}
              end
            end
            for pass = 1, 2 do
              for i = 1, n do
                local lk = KEYS[1 + i]
                local free = redis.call('exists', lk) == 0
                local from = ''
                if not free and pass == 2 and redis.call('exists', KEYS[1 + 2 * n + i]) == 0 then
                  local held = redis.call('get', lk)
                  local h = held and string.match(held, '^[^|]*|([^|]*)|') or nil
                  if h and h ~= ARGV[8] and isDead(h) then
                    free = true
                    from = h
                  end
                end
                if free then
                  local t = redis.call('incr', KEYS[1 + n + i])
                  local v = t .. '|' .. ARGV[3]
                  redis.call('set', lk, v, 'PX', ARGV[2])
                  redis.call('zrem', q, ARGV[1])
                  return {i, t, v, from}
                end
              end
            end
            return {-1}
            """;
    /**
     * Before a command on the server: only while the lease is still this holder's, renews it and marks the server
     * busy (key {@code <prefix>running:<server>}) for the longest time the command may run on its own.
     */
    private static final String GUARD = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              redis.call('pexpire', KEYS[1], ARGV[2])
              redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[3])
              return 1
            end
            return 0
            """;
    /** The replicas among ARGV[3..] that are dead: no subscribed connection and no liveness key. */
    private static final String DEAD = """
            local aliveChannel, aliveKey = ARGV[1], ARGV[2]
            """ + LIVENESS + """
            local dead = {}
            for i = 3, #ARGV do
              if isDead(ARGV[i]) then
                table.insert(dead, ARGV[i])
              end
            end
            return dead
            """;
    private static final String RENEW = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('pexpire', KEYS[1], ARGV[2])
            end
            return 0
            """;
    /** Leaves a wait queue; the last waiter out removes the queue from the set of queues. */
    private static final String LEAVE = """
            redis.call('zrem', KEYS[1], ARGV[1])
            redis.call('del', KEYS[2])
            if redis.call('zcard', KEYS[1]) == 0 then
              redis.call('srem', KEYS[3], KEYS[1])
            end
            redis.call('publish', ARGV[2], 'dequeued')
            return 1
            """;
    private static final String RELEASE = """
            if redis.call('get', KEYS[2]) == ARGV[1] then
              redis.call('del', KEYS[2])
            end
            if redis.call('get', KEYS[1]) == ARGV[1] then
              redis.call('del', KEYS[1])
              redis.call('publish', ARGV[2], KEYS[1])
              return 1
            end
            return 0
            """;

    private final RedisAPI redis;
    private final Redis client;
    private final String holder;
    private final String prefix;
    private final Duration ttl;
    private final Duration poll;
    private final Duration liveness;
    private final ScheduledExecutorService renewals;
    private final Object wakeUp = new Object();
    private final Map<String, ScheduledFuture<?>> renewing = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RedisConnection subscriber;

    /** Local statistics: waits finished, waits that timed out, total and longest wait, waiting now. */
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitTimeouts = new AtomicLong();
    private final AtomicLong waitNanosTotal = new AtomicLong();
    private final AtomicLong waitNanosMax = new AtomicLong();
    private final AtomicInteger waitingNow = new AtomicInteger();
    private final AtomicLong takenFromDead = new AtomicLong();

    /** This replica's lease manager, as the service configures it. */
    @Inject
    public LeaseManager(Redis client, RunnerIdentity identity, RunnerConfig config) {
        this(client, identity.id(), config.lease().keyPrefix(), config.lease().ttl(), config.lease().poll(),
                config.lease().liveness());
    }

    /** A lease manager with the default liveness key of 3 s. */
    public LeaseManager(Redis client, String holder, String prefix, Duration ttl, Duration poll) {
        this(client, holder, prefix, ttl, poll, Duration.ofSeconds(3));
    }

    /**
     * @param client  Redis client (a dedicated connection is opened from it for the wake-up subscription)
     * @param holder  this runner's id, stored in the lease value
     * @param prefix  key prefix, e.g. {@code bw:}
     * @param ttl     lease time-to-live; renewed every third of it
     * @param poll    longest sleep between attempts when no wake-up arrives
     * @param liveness time-to-live of this replica's liveness key, refreshed every third of it; with its subscribed
     *                connection gone too, the replica counts as dead (see {@link #deadAmong})
     */
    public LeaseManager(Redis client, String holder, String prefix, Duration ttl, Duration poll, Duration liveness) {
        this.client = client;
        this.redis = RedisAPI.api(client);
        this.holder = holder;
        this.prefix = prefix;
        this.ttl = ttl;
        this.poll = poll;
        this.liveness = liveness;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-renewal-" + holder);
            t.setDaemon(true);
            return t;
        });
        subscribe();
        long beat = Math.max(50, liveness.toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::keepAlive, 0, beat, TimeUnit.MILLISECONDS);
    }

    /** Refreshes this replica's liveness key, and subscribes again when the subscribed connection was lost. */
    private void keepAlive() {
        if (closed.get()) {
            return;
        }
        try {
            redis.set(List.of(aliveKeyPrefix() + holder, "1", "PX", Long.toString(liveness.toMillis())))
                    .await().atMost(REDIS_TIMEOUT);
            if (subscriber == null) {
                subscribe();
            }
        } catch (RuntimeException e) {
            LOG.debugf("refreshing the liveness key: %s", e.getMessage());
        }
    }

    private synchronized void subscribe() {
        if (subscriber != null || closed.get()) {
            return;
        }
        try {
            RedisConnection connection = client.connect().await().atMost(REDIS_TIMEOUT);
            connection.handler(message -> {
                synchronized (wakeUp) {
                    wakeUp.notifyAll();
                }
            });
            connection.exceptionHandler(e -> LOG.debugf("lease wake-up subscription: %s", e.getMessage()));
            connection.endHandler(() -> {
                if (subscriber == connection) {
                    subscriber = null; // the liveness refresh subscribes again
                }
            });
            // the wake-ups, and this replica's own channel: while this connection is open, Redis counts one subscriber
            // on it; a killed process's socket is closed by its kernel at once, a paused one's stays open
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(eventsChannel()).arg(aliveChannelPrefix() + holder))
                    .await().atMost(REDIS_TIMEOUT);
            subscriber = connection;
        } catch (RuntimeException e) {
            LOG.warnf("lease wake-up subscription not available (%s); waiters poll every %s", e.getMessage(), poll);
        }
    }

    public String holder() {
        return holder;
    }

    public Duration ttl() {
        return ttl;
    }

    String eventsChannel() {
        return prefix + "lease-events";
    }

    private String aliveChannelPrefix() {
        return prefix + "alive-channel:";
    }

    private String aliveKeyPrefix() {
        return prefix + "alive:";
    }

    private String runningKey(UUID server) {
        return prefix + "running:" + server;
    }

    public String leaseKey(UUID server) {
        return prefix + "lease:" + server;
    }

    private String fenceKey(UUID server) {
        return prefix + "fence:" + server;
    }

    private String queueKey(List<ServerRef> pool) {
        return prefix + "queue:" + pool.stream().map(s -> s.leaseId().toString()).sorted().collect(Collectors.joining(","));
    }

    private String waiterPrefix() {
        return prefix + "waiter:";
    }

    /**
     * Takes a lease on a free server of the pool, waiting first come first served for up to {@code maxWait}.
     * The lease is renewed in the background until {@link #release}.
     */
    public Lease acquire(List<ServerRef> pool, Duration maxWait, String runId) throws NoServerAvailableException {
        if (pool.isEmpty()) {
            throw new NoServerAvailableException("the pool has no enabled iperf3 server");
        }
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        String queue = queueKey(pool);
        String waiter = holder + "/" + runId;
        long aliveMs = Math.max(3000, poll.toMillis() * 6);
        long ticket = redis.incr(prefix + "lease-ticket").await().atMost(REDIS_TIMEOUT).toLong();
        redis.set(List.of(waiterPrefix() + waiter, "1", "PX", Long.toString(aliveMs))).await().atMost(REDIS_TIMEOUT);
        redis.zadd(List.of(queue, Long.toString(ticket), waiter)).await().atMost(REDIS_TIMEOUT);
        redis.sadd(List.of(prefix + "queues", queue)).await().atMost(REDIS_TIMEOUT);
        waitingNow.incrementAndGet();
        List<String> args = new ArrayList<>();
        args.add(TAKE);
        args.add(Integer.toString(1 + 3 * pool.size()));
        args.add(queue);
        pool.forEach(s -> args.add(leaseKey(s.leaseId())));
        pool.forEach(s -> args.add(fenceKey(s.leaseId())));
        pool.forEach(s -> args.add(runningKey(s.leaseId())));
        args.add(waiter);
        args.add(Long.toString(ttl.toMillis()));
        try {
            while (true) {
                if (closed.get()) {
                    throw new NoServerAvailableException("runner is shutting down");
                }
                redis.set(List.of(waiterPrefix() + waiter, "1", "PX", Long.toString(aliveMs))).await().atMost(REDIS_TIMEOUT);
                List<String> call = new ArrayList<>(args);
                call.add(holder + "|" + runId + "|" + System.currentTimeMillis());
                call.add(waiterPrefix());
                call.add(Integer.toString(pool.size()));
                call.add(aliveChannelPrefix());
                call.add(aliveKeyPrefix());
                call.add(holder);
                Response r = redis.eval(call).await().atMost(REDIS_TIMEOUT);
                int index = r.get(0).toInteger();
                if (index > 0) {
                    ServerRef server = pool.get(index - 1);
                    long token = r.get(1).toLong();
                    String value = r.get(2).toString();
                    String from = r.get(3).toString();
                    if (!from.isEmpty()) {
                        takenFromDead.incrementAndGet();
                        LOG.infof("iperf3 server %s: lease taken over from replica %s, which is dead (its Redis"
                                + " connection closed and its liveness key expired) and whose last command has run out"
                                + " its time", server.host(), from);
                    }
                    Duration waited = Duration.ofNanos(System.nanoTime() - started);
                    record(waited);
                    Lease lease = new Lease(server, token, value, Instant.now(), waited);
                    startRenewal(lease);
                    redis.publish(eventsChannel(), "taken").await().atMost(REDIS_TIMEOUT);
                    return lease;
                }
                if (index == -2) {
                    // our queue entry vanished (e.g. dropped as dead after a long pause): queue again, keep the ticket
                    redis.zadd(List.of(queue, Long.toString(ticket), waiter)).await().atMost(REDIS_TIMEOUT);
                    continue;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    waitTimeouts.incrementAndGet();
                    record(Duration.ofNanos(now - started));
                    throw new NoServerAvailableException("all " + pool.size() + " iperf3 server(s) of the pool ("
                            + pool.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(", "))
                            + ") stayed leased for the wait limit of " + maxWait.toSeconds() + " s");
                }
                long sleepMs = Math.max(1, Math.min(poll.toMillis(), TimeUnit.NANOSECONDS.toMillis(deadline - now)));
                synchronized (wakeUp) {
                    wakeUp.wait(sleepMs);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoServerAvailableException("interrupted while waiting for a server");
        } finally {
            waitingNow.decrementAndGet();
            try {
                // the queue moved on: the script wakes the next waiter at once
                redis.eval(List.of(LEAVE, "3", queue, waiterPrefix() + waiter, prefix + "queues", waiter,
                        eventsChannel())).await().atMost(REDIS_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.debugf("leaving the lease queue: %s", e.getMessage());
            }
        }
    }

    private void record(Duration waited) {
        waits.incrementAndGet();
        waitNanosTotal.addAndGet(waited.toNanos());
        waitNanosMax.accumulateAndGet(waited.toNanos(), Math::max);
    }

    private void startRenewal(Lease lease) {
        long period = Math.max(100, ttl.toMillis() / 3);
        ScheduledFuture<?> task = renewals.scheduleAtFixedRate(() -> {
            try {
                if (!renew(lease)) {
                    LOG.warnf("lease on iperf3 server %s (token %d) was lost", lease.server().host(), lease.fencingToken());
                    cancelRenewal(lease);
                }
            } catch (RuntimeException e) {
                LOG.warnf("renewing the lease on %s: %s", lease.server().host(), e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        renewing.put(lease.value(), task);
    }

    private void cancelRenewal(Lease lease) {
        ScheduledFuture<?> task = renewing.remove(lease.value());
        if (task != null) {
            task.cancel(false);
        }
    }

    /**
     * Before each command on the leased server: true, and the lease renewed and the server marked busy for
     * {@code runsAtMost} (the longest the command may run on its own, should this replica die during it), only while
     * the lease is still this holder's. False: the lease was lost (it expired while renewals failed, and another
     * replica may hold it now): the command must not start.
     */
    public boolean guard(Lease lease, Duration runsAtMost) {
        Response r = redis.eval(List.of(GUARD, "2", leaseKey(lease.server().leaseId()), runningKey(lease.server().leaseId()),
                lease.value(), Long.toString(ttl.toMillis()), Long.toString(Math.max(1, runsAtMost.toMillis()))))
                .await().atMost(REDIS_TIMEOUT);
        return r.toInteger() == 1;
    }

    /**
     * The replicas among {@code runners} that are dead: no connection of theirs subscribed to their own channel (a
     * killed process's socket is closed at once; a paused process keeps it open) and their liveness key expired (a
     * live process whose subscribed connection broke keeps refreshing it). Where Redis cannot be asked, none.
     */
    public Set<String> deadAmong(Collection<String> runners) {
        if (runners.isEmpty()) {
            return Set.of();
        }
        List<String> args = new ArrayList<>();
        args.add(DEAD);
        args.add("0");
        args.add(aliveChannelPrefix());
        args.add(aliveKeyPrefix());
        args.addAll(runners);
        Response r = redis.eval(args).await().atMost(REDIS_TIMEOUT);
        Set<String> dead = new HashSet<>();
        for (Response name : r) {
            dead.add(name.toString());
        }
        return dead;
    }

    /** Leases this replica took over from dead replicas. */
    public long takenFromDead() {
        return takenFromDead.get();
    }

    /** Extends the lease by the TTL if this holder still has it. */
    public boolean renew(Lease lease) {
        Response r = redis.eval(List.of(RENEW, "1", leaseKey(lease.server().leaseId()), lease.value(),
                Long.toString(ttl.toMillis()))).await().atMost(REDIS_TIMEOUT);
        return r.toInteger() == 1;
    }

    /** Stops renewing and deletes the lease if this holder still has it; wakes the waiters. */
    public boolean release(Lease lease) {
        cancelRenewal(lease);
        Response r = redis.eval(List.of(RELEASE, "2", leaseKey(lease.server().leaseId()),
                runningKey(lease.server().leaseId()), lease.value(), eventsChannel()))
                .await().atMost(REDIS_TIMEOUT);
        return r.toInteger() == 1;
    }

    /**
     * What a paused process looks like from Redis (tests): no renewal and no liveness refresh any more, its
     * connections left open.
     */
    void freeze() {
        renewals.shutdownNow();
    }

    /** Closes the subscribed connection as a broken network would (tests); the liveness refresh subscribes again. */
    void dropSubscription() {
        RedisConnection s = subscriber;
        if (s != null) {
            s.close().await().atMost(REDIS_TIMEOUT);
        }
    }

    /** What a crashed runner does: stop renewing every lease, release nothing. */
    public void abandonAll() {
        renewing.values().forEach(t -> t.cancel(true));
        renewing.clear();
    }

    /** The state of the given servers and of every wait queue. */
    public PoolState state(List<ServerRef> servers) {
        List<ServerState> states = new ArrayList<>();
        for (ServerRef server : servers) {
            Response value = redis.get(leaseKey(server.leaseId())).await().atMost(REDIS_TIMEOUT);
            if (value == null) {
                states.add(new ServerState(server, false, null, null, null, null));
                continue;
            }
            String[] parts = value.toString().split("\\|", 4);
            Response pttl = redis.pttl(leaseKey(server.leaseId())).await().atMost(REDIS_TIMEOUT);
            Instant since = parts.length > 3 ? Instant.ofEpochMilli(Long.parseLong(parts[3])) : null;
            states.add(new ServerState(server, true, parts.length > 1 ? parts[1] : null, since,
                    Long.parseLong(parts[0]), pttl == null ? null : pttl.toLong()));
        }
        Map<String, Long> queues = new LinkedHashMap<>();
        Response members = redis.smembers(prefix + "queues").await().atMost(REDIS_TIMEOUT);
        for (Response member : members) {
            String key = member.toString();
            long length = redis.zcard(key).await().atMost(REDIS_TIMEOUT).toLong();
            if (length > 0) { // an empty one is left by the last waiter's LEAVE, which removes it from the set
                queues.put(key.substring((prefix + "queue:").length()), length);
            }
        }
        long total = waits.get();
        return new PoolState(states, queues, waitingNow.get(), total, waitTimeouts.get(),
                total == 0 ? 0 : waitNanosTotal.get() / 1e9 / total, waitNanosMax.get() / 1e9);
    }

    public int waitingNow() {
        return waitingNow.get();
    }

    public long waitsTotal() {
        return waits.get();
    }

    public long waitTimeouts() {
        return waitTimeouts.get();
    }

    public double waitSecondsTotal() {
        return waitNanosTotal.get() / 1e9;
    }

    public record ServerState(ServerRef server, boolean leased, String holder, Instant since, Long fencingToken,
            Long ttlMillis) {
    }

    /** Where one run stands: the server it leases and since when, or its 1-based place in a wait queue. */
    public record RunPlace(ServerRef server, Instant since, Long queuePosition) {
    }

    /**
     * Where the run {@code runId} of runner {@code runHolder} stands among {@code servers} and the wait queues
     * (any runner replica's run: the lease values and queue entries name their holder and run).
     */
    public RunPlace place(String runHolder, String runId, List<ServerRef> servers) {
        for (ServerRef server : servers) {
            Response value = redis.get(leaseKey(server.leaseId())).await().atMost(REDIS_TIMEOUT);
            if (value == null) {
                continue;
            }
            String[] parts = value.toString().split("\\|", 4);
            if (parts.length > 3 && parts[1].equals(runHolder) && parts[2].equals(runId)) {
                return new RunPlace(server, Instant.ofEpochMilli(Long.parseLong(parts[3])), null);
            }
        }
        String waiter = runHolder + "/" + runId;
        Response members = redis.smembers(prefix + "queues").await().atMost(REDIS_TIMEOUT);
        for (Response member : members) {
            Response rank = redis.zrank(member.toString(), waiter).await().atMost(REDIS_TIMEOUT);
            if (rank != null) {
                return new RunPlace(null, null, rank.toLong() + 1);
            }
        }
        return new RunPlace(null, null, null);
    }

    /**
     * @param queues             wait queue per pool (comma-joined lease ids, see {@link ServerRef#leaseId()}) to its length
     * @param waitingHere        runs of this runner waiting now
     * @param waits              waits finished by this runner (taken or timed out)
     * @param waitTimeouts       of which timed out
     * @param meanWaitSeconds    mean wait
     * @param maxWaitSeconds     longest wait
     */
    public record PoolState(List<ServerState> servers, Map<String, Long> queues, int waitingHere, long waits,
            long waitTimeouts, double meanWaitSeconds, double maxWaitSeconds) {
    }

    @Override
    @PreDestroy
    public void close() {
        if (closed.compareAndSet(false, true)) {
            renewals.shutdownNow();
            RedisConnection s = subscriber;
            if (s != null) {
                s.close().subscribe().with(v -> { }, e -> { });
            }
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }
    }
}
