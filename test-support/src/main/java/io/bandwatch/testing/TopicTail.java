package io.bandwatch.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record a real topic receives after {@link #open}: the consumer is assigned all partitions at their end
 * offsets (topics outlive test runs and are shared), reads only committed records, and keeps what it polled.
 */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    private TopicTail(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (partitions.isEmpty() && System.currentTimeMillis() < deadline) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
        }
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " has no partitions at " + bootstrap);
        }
        consumer.assign(partitions);
        consumer.endOffsets(partitions, Duration.ofSeconds(10)).forEach(consumer::seek);
    }

    public static TopicTail open(String bootstrap, String topic) {
        return new TopicTail(bootstrap, topic);
    }

    /** Polls until {@code done} holds for the records kept so far (in poll order), or the timeout; returns them. */
    public List<ConsumerRecord<String, String>> pollUntil(Predicate<List<ConsumerRecord<String, String>>> done,
            Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        do {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(r);
            }
            if (done.test(records)) {
                break;
            }
        } while (System.currentTimeMillis() < deadline);
        return List.copyOf(records);
    }

    /** Polls for {@code quiet} more (late duplicates would show here); returns every record kept. */
    public List<ConsumerRecord<String, String>> drain(Duration quiet) {
        return pollUntil(r -> false, quiet);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
