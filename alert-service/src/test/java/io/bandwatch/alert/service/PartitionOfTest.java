package io.bandwatch.alert.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitionOfTest {

    @Test
    void aDevicesPartitionIsTheOneTheProducersDefaultPartitionerGivesItsKey() {
        for (int i = 0; i < 1000; i++) {
            UUID device = UUID.randomUUID();
            for (int partitions : new int[] { 1, 3, 12 }) {
                assertThat(EvaluationService.partitionOf(device, partitions)).isEqualTo(BuiltInPartitioner.partitionForKey(
                        device.toString().getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
