package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.platform.outbox.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The relay deletes outbox rows sent longer ago than the retention (7 days by default) and keeps the others. */
@QuarkusTest
class OutboxRetentionTest {

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    /** A row of the key, sent {@code days} ago (so the relay never sends it). */
    void sentRow(String key, int days) {
        pool.preparedQuery("INSERT INTO outbox (event_id, topic, event_key, event_type, payload, event_time, "
                + "created_at, sent_at) VALUES ($1, 'devices.health', $2, 'io.bandwatch.device.health.v1', NULL, "
                + "now(), now() - make_interval(days => $3), now() - make_interval(days => $3))")
                .execute(Tuple.of(UUID.randomUUID(), key, days)).await().atMost(Duration.ofSeconds(10));
    }

    long rows(String key) {
        return pool.preparedQuery("SELECT count(*) AS n FROM outbox WHERE event_key = $1").execute(Tuple.of(key))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    @Test
    void sentRowsPastTheRetentionAreDeletedAndTheOthersKept() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        sentRow(old, 8);
        sentRow(recent, 6);
        assertThat(relay.prune()).as("rows deleted").isGreaterThanOrEqualTo(1);
        assertThat(rows(old)).as("row sent 8 days ago").isZero();
        assertThat(rows(recent)).as("row sent 6 days ago").isEqualTo(1);
    }
}
