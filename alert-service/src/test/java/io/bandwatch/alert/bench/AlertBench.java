package io.bandwatch.alert.bench;

import io.bandwatch.testing.JwtKeysResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bench, not part of the normal test run: {@code mvn -B -pl alert-service -Pbench verify [-Dbench.results=200000]}.
 * Prints evaluations/s through the service (Kafka → evaluation transaction in PostgreSQL, from the first to the
 * last {@code message_log} row of the bench topic) next to the raw consume rate of the same topic.
 */
@QuarkusTest
@TestProfile(AlertBench.Profile.class)
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = true)
class AlertBench {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BenchResults.class));
        }
    }

    @Inject
    Pool pool;

    @Test
    void evaluationsPerSecond() throws Exception {
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(40).toMillis();
        long count = 0;
        Row row = null;
        while (System.currentTimeMillis() < deadline) {
            row = pool.preparedQuery("SELECT count(*) AS n, min(processed_at) AS first, max(processed_at) AS last "
                    + "FROM message_log WHERE topic = $1").execute(Tuple.of(BenchResults.topic))
                    .await().atMost(Duration.ofSeconds(30)).iterator().next();
            count = row.getLong("n");
            if (count >= BenchResults.n) {
                break;
            }
            Thread.sleep(2000);
        }
        OffsetDateTime first = row.getOffsetDateTime("first");
        OffsetDateTime last = row.getOffsetDateTime("last");
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        long notifications = pool.preparedQuery("SELECT count(*) FROM outbox WHERE topic = 'alert.notifications' "
                + "AND created_at >= $1").execute(Tuple.of(first)).await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong(0);
        System.out.printf("BENCH results: %d (%d checks, 2 settings each)%n", BenchResults.n, BenchResults.CHECKS);
        System.out.printf("BENCH raw consume rate:   %10.0f results/s%n", BenchResults.rawRate);
        System.out.printf("BENCH through the service: %9.0f evaluations/s (%d results in %.1f s, %d notifications)%n",
                count / seconds, count, seconds, notifications);
        // machine-readable figures for `deploy/local/bandwatch bench` (BENCH <key> <value> <unit>)
        System.out.printf(java.util.Locale.ROOT, "BENCH alert.results %d results%n", BenchResults.n);
        System.out.printf(java.util.Locale.ROOT, "BENCH alert.evals_per_s %.0f results/s%n", count / seconds);
        System.out.printf(java.util.Locale.ROOT, "BENCH alert.raw_consume_per_s %.0f results/s%n", BenchResults.rawRate);
        // Leave no unsent outbox row behind (the next run of the service would relay it to the real topics).
        long drainStart = System.currentTimeMillis();
        long unsent = Long.MAX_VALUE;
        while (unsent > 0 && System.currentTimeMillis() < deadline) {
            unsent = pool.preparedQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL").execute()
                    .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
            if (unsent > 0) {
                Thread.sleep(1000);
            }
        }
        System.out.printf("BENCH outbox drained %.1f s after the last evaluation check%n",
                (System.currentTimeMillis() - drainStart) / 1000.0);
        if (count < BenchResults.n) {
            throw new AssertionError("only " + count + " of " + BenchResults.n + " results processed in time");
        }
    }
}
