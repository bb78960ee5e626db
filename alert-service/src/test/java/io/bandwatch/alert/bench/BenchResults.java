package io.bandwatch.alert.bench;

import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventDeserializer;
import io.bandwatch.events.EventJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Before the service boots: produces N synthetic iperf3 results to a fresh topic (1 000 checks, nightly points,
 * 3 bad nights in every 10 so that each check goes to problem and back), measures the raw consume rate of that
 * topic (poll + deserialize into CheckResult, no processing), and points the service at the topic from the start.
 */
public class BenchResults implements QuarkusTestResourceLifecycleManager {

    public static final int CHECKS = 1000;
    static String topic;
    static int n;
    static double rawRate;

    @Override
    public Map<String, String> start() {
        n = Integer.getInteger("bench.results", 200_000);
        topic = "bench.check.results." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        produce();
        rawRate = consumeRaw();
        System.out.printf("BENCH raw consume of %s: %d results in the topic, %.0f results/s (poll + deserialize)%n",
                topic, n, rawRate);
        String group = "bench-" + UUID.randomUUID();
        return Map.of("mp.messaging.incoming.\"check.results\".topic", topic,
                "mp.messaging.incoming.\"check.results\".auto.offset.reset", "earliest",
                // notifications and health now leave through the platform's outbox relay, to their own topics
                // (there are no emitter channels to point elsewhere any more)
                "bandwatch.kafka.group", group);
    }

    private static void produce() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<Fixture> checks = new ArrayList<>();
        for (int i = 0; i < CHECKS; i++) {
            checks.add(Fixture.iperf3());
        }
        Instant start = Instant.parse("2025-01-01T02:00:00Z");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (int i = 0; i < n; i++) {
                Fixture f = checks.get(i % CHECKS);
                int night = i / CHECKS;
                CheckResult r = f.iperf3(start.plus(Duration.ofDays(night)), night % 10 < 3 ? 4e6 : 40e6);
                RecordHeaders headers = new RecordHeaders();
                CloudEventHeaders.of(r, "/bandwatch/bench").forEach(headers::add);
                last = producer.send(new ProducerRecord<>(topic, null, r.key().toString(), EventJson.write(r), headers));
            }
            producer.flush();
            last.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        System.out.printf("BENCH produced %d results in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    private static double consumeRaw() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
                EventDeserializer<CheckResult> deserializer = new EventDeserializer<>(CheckResult.class)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long t0 = System.nanoTime();
            int read = 0;
            while (read < n) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (deserializer.deserialize(r.topic(), r.headers(), r.value()) != null) {
                        read++;
                    }
                }
            }
            return read / ((System.nanoTime() - t0) / 1e9);
        }
    }

    @Override
    public void stop() {
        // the topic stays (the shared broker's log); its name is random
    }
}
