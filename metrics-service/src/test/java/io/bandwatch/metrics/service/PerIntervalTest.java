package io.bandwatch.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daily rollup's points aggregated per interval as InfluxDB's mean() and sum() with GROUP BY time would. */
class PerIntervalTest {

    @Test
    void meansAndSumsPerIntervalLeavingOutNullsAndPointsBeforeTheFirstInterval() {
        ChartDefinition bandwidth = ChartDefinition.find("bandwidth").orElseThrow();
        ChartDefinition transfer = ChartDefinition.find("transfer").orElseThrow();
        ChartDefinition.Trace tcp = bandwidth.traces().get(0);
        ChartDefinition.Trace bytes = transfer.traces().get(0);
        // two series (two servers) on the same days, one point before the range, one interval without points
        List<Long> times = List.of(-1L, 0L, 0L, 5L, 10L, 25L);
        Map<String, List<Double>> columns = new HashMap<>();
        columns.put(bandwidth.column(tcp), Arrays.asList(99.0, 1.0, 3.0, 5.0, null, 7.0));
        columns.put(transfer.column(bytes), Arrays.asList(99.0, 10.0, 20.0, 30.0, null, 40.0));
        ChartService.Rows rows = ChartService.perInterval(List.of(0L, 10L, 20L, 30L),
                new ChartService.Rows(times, columns), List.of(bandwidth, transfer));

        assertThat(rows.times()).containsExactly(0L, 10L, 20L, 30L);
        assertThat(rows.columns().get(bandwidth.column(tcp))).containsExactly(3.0, null, 7.0, null);
        assertThat(rows.columns().get(transfer.column(bytes))).containsExactly(60.0, null, 40.0, null);
        // a trace without any column in the answer is all nulls
        assertThat(rows.columns().get(bandwidth.column(bandwidth.traces().get(2)))).containsExactly(null, null, null,
                null);
    }

    @Test
    void noIntervalsNoValues() {
        ChartDefinition uptime = ChartDefinition.find("uptime").orElseThrow();
        ChartService.Rows rows = ChartService.perInterval(List.of(),
                new ChartService.Rows(List.of(5L), Map.of(uptime.column(uptime.traces().get(0)), List.of(1.0))),
                List.of(uptime));
        assertThat(rows.times()).isEmpty();
        assertThat(rows.columns().get(uptime.column(uptime.traces().get(0)))).isEmpty();
    }
}
