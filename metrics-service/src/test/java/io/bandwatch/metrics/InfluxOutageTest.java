package io.bandwatch.metrics;

import static io.bandwatch.metrics.support.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.metrics.support.Fixtures;
import io.bandwatch.metrics.support.InfluxProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * InfluxDB unreachable for 30 s (the proxy between the service and InfluxDB refuses every connection, the shared
 * InfluxDB keeps running): the results published meanwhile are all written once it is back, none lost.
 */
@QuarkusTest
class InfluxOutageTest {

    @AfterEach
    void restore() {
        InfluxProxyResource.proxy().up();
    }

    @Test
    void resultsPublishedWhileInfluxIsDownAreWrittenWhenItComesBack() throws Exception {
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        UUID check = UUID.randomUUID();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(Fixtures.ping(org, device, check, base.plusSeconds(60L * i),
                    PingMetrics.reachable(0, 1.0, 1.5 + i / 100.0, 3.0)));
        }

        InfluxProxyResource.proxy().down();
        Fixtures.publishAll(results.subList(0, 25));
        Thread.sleep(15_000);
        Fixtures.publishAll(results.subList(25, 50));
        Thread.sleep(15_000);
        assertThat(count("ping", "reachable", device)).as("nothing can be written while InfluxDB is away").isZero();

        InfluxProxyResource.proxy().up();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(count("ping", "reachable", device)).isEqualTo(50));
    }
}
