package io.bandwatch.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a real topic from its end offsets at creation: only records produced after {@link #open} are seen
 * (topics outlive test runs and are shared).
 */
public final class KafkaProbe implements AutoCloseable {

    public static final String BOOTSTRAP = "127.0.0.1:9092";

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private KafkaProbe(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "inventory-test-probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (partitions.isEmpty() && System.currentTimeMillis() < deadline) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        ends.forEach(consumer::seek);
    }

    public static KafkaProbe open(String topic) {
        return new KafkaProbe(BOOTSTRAP, topic);
    }

    /** As {@link #open(String)}, on the brokers at {@code bootstrap} (e.g. a test's private broker). */
    public static KafkaProbe open(String bootstrap, String topic) {
        return new KafkaProbe(bootstrap, topic);
    }

    /** Waits until at least {@code count} records match, returns every matching record in arrival order. */
    public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match, int count,
            Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r);
            }
            List<ConsumerRecord<String, String>> matching = seen.stream().filter(match).collect(Collectors.toList());
            if (matching.size() >= count) {
                return matching;
            }
        }
        List<ConsumerRecord<String, String>> matching = seen.stream().filter(match).collect(Collectors.toList());
        throw new AssertionError("expected " + count + " records, got " + matching.size() + " within " + timeout);
    }

    /** Records for the key, in arrival order. */
    public List<ConsumerRecord<String, String>> awaitKey(String key, int count, Duration timeout) {
        return await(r -> key.equals(r.key()), count, timeout);
    }

    /** Polls a while more and returns everything seen (for asserting that nothing else arrived). */
    public List<ConsumerRecord<String, String>> drain(Duration duration) {
        long deadline = System.currentTimeMillis() + duration.toMillis();
        while (System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
