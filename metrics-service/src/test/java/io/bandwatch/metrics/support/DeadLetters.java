package io.bandwatch.metrics.support;

import io.bandwatch.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads check.results.dlq from its end as it was when created (records of earlier runs are not seen). */
public final class DeadLetters implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    public DeadLetters() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Fixtures.BOOTSTRAP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        // the topic may not exist yet: asking for it creates it (auto-create is on)
        Instant deadline = Instant.now().plusSeconds(15);
        while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
            var infos = consumer.partitionsFor(Topics.CHECK_RESULTS_DLQ);
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Waits for a record matching the predicate. */
    public ConsumerRecord<String, byte[]> await(Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (match.test(record)) {
                    return record;
                }
            }
        }
        throw new AssertionError("no matching record on " + Topics.CHECK_RESULTS_DLQ + " within " + timeout);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
