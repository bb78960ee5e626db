package io.bandwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void aPhaseThatKeepsThisJvmBusyIsChargedToTheJvmAndToTheMachine() {
        ProcessCpu.Sample before = ProcessCpu.sample();
        long until = System.nanoTime() + 600_000_000L; // 0.6 s of one core, spinning
        long spins = 0;
        while (System.nanoTime() < until) {
            spins++;
        }
        Map<String, Double> seconds = ProcessCpu.seconds(before, ProcessCpu.sample());

        assertThat(spins).isPositive();
        assertThat(seconds.keySet()).containsExactlyElementsOf(ProcessCpu.GROUPS);
        // /proc counts in 10 ms ticks; the spinning thread may also wait for a core on a busy machine
        assertThat(seconds.get("jvm")).isBetween(0.3, 5.0);
        assertThat(seconds.get("machine")).isGreaterThanOrEqualTo(seconds.get("jvm") - 0.05);
        assertThat(seconds.values()).allSatisfy(v -> assertThat(v).isNotNegative());

        Map<String, Double> perUnit = ProcessCpu.microsPer(before, ProcessCpu.sample(), 1000);
        assertThat(perUnit.get("jvm")).isGreaterThan(300.0); // 0.3 s over 1,000 units
    }
}
