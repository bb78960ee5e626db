package io.bandwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.metrics.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At start the service created the retention policies (raw default, hourly means, daily rollups) and the continuous queries. */
@QuarkusTest
class InfluxSchemaTest {

    @Test
    void retentionPoliciesAndDownsamplingExist() {
        JsonNode policies = Fixtures.rows("SHOW RETENTION POLICIES ON \"bandwatch_test\"");
        List<String> described = new ArrayList<>();
        policies.forEach(p -> described.add(p.get(0).asText() + " " + p.get(1).asText() + " " + p.get(4).asBoolean()));
        assertThat(described).contains("raw 720h0m0s true", "hourly 17520h0m0s false", "daily 87840h0m0s false");

        JsonNode all = Fixtures.influxQl("SHOW CONTINUOUS QUERIES").path("results").path(0).path("series");
        List<String> queries = new ArrayList<>();
        all.forEach(s -> {
            if ("bandwatch_test".equals(s.path("name").asText())) {
                s.path("values").forEach(v -> queries.add(v.get(1).asText()));
            }
        });
        assertThat(queries).anyMatch(q -> q.contains("INTO bandwatch_test.hourly.iperf3")
                && q.contains("FROM bandwatch_test.raw.iperf3") && q.contains("GROUP BY time(1h)"));
        assertThat(queries).anyMatch(q -> q.contains("INTO bandwatch_test.hourly.ping") && q.contains("mean(*)"));
        // the daily rollups of the year charts: mean and sum of the hourly means, recomputed every hour for 2 days
        assertThat(queries).anyMatch(q -> q.contains("INTO bandwatch_test.daily.iperf3")
                && q.contains("FROM bandwatch_test.hourly.iperf3") && q.contains("GROUP BY time(1d)")
                && q.contains("mean(*), sum(*)") && q.contains("RESAMPLE EVERY 1h FOR 2d"));
    }
}
