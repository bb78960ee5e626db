package io.bandwatch.runner.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two lease managers ("replicas") with their own Redis connections against the real Redis. */
class LeaseManagerTest {

    static Vertx vertx;
    static Redis redisA;
    static Redis redisB;
    static final String PREFIX = "bwtest:" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redisA = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        redisB = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void close() {
        redisA.close();
        redisB.close();
        vertx.closeAndAwait();
    }

    static ServerRef server() {
        // a host of its own: leases are keyed by host and port, and other tests lease the test bed's servers
        return new ServerRef(UUID.randomUUID(), "lease-test-" + UUID.randomUUID() + ".invalid", 5201);
    }

    @Test
    void oneHolderAtATimeIncreasingTokensCompareAndDeleteAndExpiry() throws Exception {
        try (LeaseManager a = new LeaseManager(redisA, "A", PREFIX, Duration.ofMillis(1500), Duration.ofMillis(100));
                LeaseManager b = new LeaseManager(redisB, "B", PREFIX, Duration.ofMillis(1500), Duration.ofMillis(100))) {
            ServerRef s = server();
            Lease first = a.acquire(List.of(s), Duration.ofSeconds(1), "r1");
            assertThatThrownBy(() -> b.acquire(List.of(s), Duration.ofMillis(500), "r2"))
                    .isInstanceOf(NoServerAvailableException.class).hasMessageContaining(s.host() + ":5201");
            Thread.sleep(2000); // longer than the TTL: renewal keeps it
            assertThat(a.state(List.of(s)).servers().get(0).holder()).isEqualTo("A");
            // B cannot release A's lease (compare-and-delete)
            assertThat(b.release(new Lease(s, first.fencingToken(), "forged", first.since(), Duration.ZERO))).isFalse();
            assertThat(a.release(first)).isTrue();
            Lease second = b.acquire(List.of(s), Duration.ofSeconds(1), "r3");
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            // a holder that stops renewing (crash) loses the lease by expiry
            b.abandonAll();
            long t0 = System.nanoTime();
            Lease third = a.acquire(List.of(s), Duration.ofSeconds(5), "r4");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500 + 500));
            assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
            assertThat(b.release(second)).isFalse();
            a.release(third);
        }
    }

    @Test
    void oneHostAndPortRegisteredByTwoOrganizationsIsOneLease() throws Exception {
        try (LeaseManager a = new LeaseManager(redisA, "A", PREFIX, Duration.ofSeconds(5), Duration.ofMillis(100));
                LeaseManager b = new LeaseManager(redisB, "B", PREFIX, Duration.ofSeconds(5), Duration.ofMillis(100))) {
            ServerRef mine = server();
            ServerRef theirs = new ServerRef(UUID.randomUUID(), mine.host().toUpperCase(java.util.Locale.ROOT), mine.port());
            Lease held = a.acquire(List.of(mine), Duration.ofSeconds(1), "org-a");
            assertThatThrownBy(() -> b.acquire(List.of(theirs), Duration.ofMillis(500), "org-b"))
                    .isInstanceOf(NoServerAvailableException.class);
            a.release(held);
            Lease next = b.acquire(List.of(theirs), Duration.ofSeconds(1), "org-b");
            assertThat(next.server().id()).isEqualTo(theirs.id());
            assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
            b.release(next);
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServedAndWokenAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LeaseManager a = new LeaseManager(redisA, "A", PREFIX, Duration.ofSeconds(5), Duration.ofSeconds(2));
                LeaseManager b = new LeaseManager(redisB, "B", PREFIX, Duration.ofSeconds(5), Duration.ofSeconds(2))) {
            ServerRef s = server();
            Lease held = a.acquire(List.of(s), Duration.ofSeconds(1), "holder");
            List<String> order = new CopyOnWriteArrayList<>();
            List<Future<?>> waiters = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                LeaseManager m = i % 2 == 0 ? b : a;
                String name = "w" + i;
                waiters.add(pool.submit(() -> {
                    Lease l = m.acquire(List.of(s), Duration.ofSeconds(20), name);
                    order.add(name);
                    Thread.sleep(100);
                    m.release(l);
                    return null;
                }));
                Thread.sleep(150); // enqueue in a known order
            }
            assertThat(a.state(List.of(s)).queues().values()).containsExactly(4L);
            long released = System.nanoTime();
            a.release(held);
            for (Future<?> f : waiters) {
                f.get(20, TimeUnit.SECONDS);
            }
            // the poll fallback is 2 s: finishing 4 x 100 ms tests well under one poll shows the wake-ups work
            assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofMillis(1500));
            assertThat(order).containsExactly("w0", "w1", "w2", "w3");
            assertThat(b.state(List.of(s)).queues()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thePoolStatusReadWritesNothingAndTheLastWaiterOutRemovesItsQueue() throws Exception {
        RedisAPI api = RedisAPI.api(redisA);
        String queues = PREFIX + "queues";
        String stale = PREFIX + "queue:stale-" + UUID.randomUUID();
        try (LeaseManager a = new LeaseManager(redisA, "A", PREFIX, Duration.ofSeconds(5), Duration.ofMillis(100));
                LeaseManager b = new LeaseManager(redisB, "B", PREFIX, Duration.ofSeconds(5), Duration.ofMillis(100))) {
            ServerRef s = server();
            Lease held = a.acquire(List.of(s), Duration.ofSeconds(1), "holder");
            // a queue entry whose queue is empty (as a crash between two commands could leave it)
            api.sadd(List.of(queues, stale)).await().atMost(Duration.ofSeconds(5));
            assertThatThrownBy(() -> b.acquire(List.of(s), Duration.ofMillis(300), "waiter"))
                    .isInstanceOf(NoServerAvailableException.class);
            // the waiter left: its queue is gone from the set without any read
            List<String> members = new java.util.ArrayList<>();
            api.smembers(queues).await().atMost(Duration.ofSeconds(5)).forEach(m -> members.add(m.toString()));
            assertThat(members).containsExactly(stale);
            // polled every 2 s by the gauges: a read, so it leaves the set as it is
            for (int i = 0; i < 3; i++) {
                assertThat(a.state(List.of(s)).queues()).isEmpty();
                assertThat(a.state(List.of(s)).servers().get(0).holder()).isEqualTo("A");
            }
            assertThat(api.sismember(queues, stale).await().atMost(Duration.ofSeconds(5)).toInteger()).isEqualTo(1);
            a.release(held);
        } finally {
            api.srem(List.of(queues, stale)).await().atMost(Duration.ofSeconds(5));
        }
    }

    // ------------------------------------------------------------ dead holders (kill -9) and paused ones

    static final Duration LIVENESS = Duration.ofMillis(600);

    /** A holder of its own Redis client, so that closing it closes its connections as a killed process's kernel does. */
    static LeaseManager holder(Redis client, String name, Duration ttl) {
        return new LeaseManager(client, name, PREFIX, ttl, Duration.ofMillis(100), LIVENESS);
    }

    @Test
    void aDeadHoldersLeaseIsTakenAtOnceNotAfterItsTtl() throws Exception {
        Redis own = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        String victim = "dead-" + UUID.randomUUID();
        try (LeaseManager a = holder(redisA, "A-" + UUID.randomUUID(), Duration.ofSeconds(30))) {
            LeaseManager dead = holder(own, victim, Duration.ofSeconds(30));
            ServerRef s = server();
            Lease held = dead.acquire(List.of(s), Duration.ofSeconds(1), "r1");
            assertThat(a.deadAmong(List.of(victim))).as("alive while connected").isEmpty();
            dead.close(); // kill -9: no renewal, no liveness refresh, its subscribed connection closed
            own.close();
            long t0 = System.nanoTime();
            Lease taken = a.acquire(List.of(s), Duration.ofSeconds(10), "r2");
            Duration after = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(after).as("taken after the liveness key expired, long before the 30 s TTL")
                    .isLessThan(LIVENESS.plusSeconds(2));
            assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
            assertThat(a.takenFromDead()).isEqualTo(1);
            assertThat(a.deadAmong(List.of(victim))).containsExactly(victim);
            a.release(taken);
        }
    }

    @Test
    void aPausedHoldersLeaseIsNotTakenBeforeItsTtlHowLongTheLivenessKeyIsGone() throws Exception {
        String paused = "paused-" + UUID.randomUUID();
        try (LeaseManager a = holder(redisA, "A-" + UUID.randomUUID(), Duration.ofSeconds(4));
                LeaseManager b = holder(redisB, paused, Duration.ofSeconds(4))) {
            ServerRef s = server();
            Lease held = b.acquire(List.of(s), Duration.ofSeconds(1), "r1");
            b.freeze(); // a GC pause: no thread runs, the sockets stay open
            // four times the liveness key's life: the key is gone, the connection is not
            assertThatThrownBy(() -> a.acquire(List.of(s), LIVENESS.multipliedBy(4), "r2"))
                    .isInstanceOf(NoServerAvailableException.class);
            assertThat(a.deadAmong(List.of(paused))).as("a paused replica is not dead").isEmpty();
            assertThat(a.state(List.of(s)).servers().get(0).holder()).isEqualTo(paused);
            // only its TTL ends it; a lost lease is then refused before the paused holder's next command
            Lease taken = a.acquire(List.of(s), Duration.ofSeconds(6), "r3");
            assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
            assertThat(a.takenFromDead()).isZero();
            assertThat(b.guard(held, Duration.ofSeconds(5))).as("the paused holder's lease is lost").isFalse();
            assertThat(a.guard(taken, Duration.ofSeconds(5))).isTrue();
            a.release(taken);
        }
    }

    @Test
    void aDeadHoldersCommandStillRunningOnTheServerKeepsItsLeaseUntilTheCommandsTimeIsUp() throws Exception {
        Redis own = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        try (LeaseManager a = holder(redisA, "A-" + UUID.randomUUID(), Duration.ofSeconds(30))) {
            LeaseManager dead = holder(own, "dead-" + UUID.randomUUID(), Duration.ofSeconds(30));
            ServerRef s = server();
            Lease held = dead.acquire(List.of(s), Duration.ofSeconds(1), "r1");
            // a 3 s command started on the server: an orphan runs on after its runner dies
            assertThat(dead.guard(held, Duration.ofSeconds(3))).isTrue();
            long t0 = System.nanoTime();
            dead.close();
            own.close();
            Lease taken = a.acquire(List.of(s), Duration.ofSeconds(10), "r2");
            Duration after = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(after).as("not before the dead holder's command may have ended").isGreaterThanOrEqualTo(
                    Duration.ofMillis(2900));
            assertThat(after).as("and long before the TTL").isLessThan(Duration.ofSeconds(6));
            assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
            a.release(taken);
        }
    }

    @Test
    void aLiveHolderWhoseSubscribedConnectionBrokeIsNotDead() throws Exception {
        String name = "broken-" + UUID.randomUUID();
        try (LeaseManager a = holder(redisA, "A-" + UUID.randomUUID(), Duration.ofSeconds(30));
                LeaseManager b = holder(redisB, name, Duration.ofSeconds(30))) {
            ServerRef s = server();
            Lease held = b.acquire(List.of(s), Duration.ofSeconds(1), "r1");
            // Redis drops the holder's subscribed connection (a network blip, CLIENT KILL): it keeps refreshing its key
            b.dropSubscription();
            assertThatThrownBy(() -> a.acquire(List.of(s), LIVENESS.multipliedBy(4), "r2"))
                    .isInstanceOf(NoServerAvailableException.class);
            assertThat(a.deadAmong(List.of(name))).isEmpty();
            assertThat(b.guard(held, Duration.ofSeconds(1))).isTrue();
            b.release(held);
        }
    }
}
