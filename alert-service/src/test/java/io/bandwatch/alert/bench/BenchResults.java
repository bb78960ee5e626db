package io.bandwatch.alert.bench;

import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventDeserializer;
import io.bandwatch.events.EventJson;
import io.bandwatch.testing.ProcessCpu;
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
 * Before the service boots, publishes the bench's data, once per size (N and 10 N): synthetic iperf3 results of 1 000
 * checks (nightly points, 3 bad nights in every 10, so that each check goes to problem and back: 0.2 transitions a
 * result, each a notification and a health change) to a topic of the bench's own; then, at N only, the "calm fleet":
 * 3 bad nights in every 100 (0.02 transitions a result, a fleet where one check in ten goes to problem and back in a
 * 10-day week), to a topic of the
 * bench's own (3 partitions, like {@code check.results}), which the bench deletes at the end. The service's
 * consumers of {@code check.results} are not started at boot: the bench starts them on each size's topic, three
 * times, and measures the raw consume of the same topic (poll + deserialize, no processing) next to each.
 */
public class BenchResults implements QuarkusTestResourceLifecycleManager {

    public static final int CHECKS = 1000;
    static final String GROUP = "alert-bench-" + UUID.randomUUID();
    /** The sizes, each with its topic and its checks. */
    static final List<Size> SIZES = new ArrayList<>();

    /**
     * @param figure     the key of its figures: {@code alert} (0.2 transitions a result) or {@code alert.calm}
     * @param nightCycle the bad nights are the first 3 of every {@code nightCycle} (10 or 100)
     */
    record Size(int n, String topic, List<Fixture> checks, String figure, int nightCycle) {
    }

    @Override
    public Map<String, String> start() {
        int n = Integer.getInteger("bench.results", 200_000);
        String run = UUID.randomUUID().toString();
        SIZES.clear();
        for (int size : new int[] { n, 10 * n, -n }) {
            String figure = size > 0 ? "alert" : "alert.calm";
            int cycle = size > 0 ? 10 : 100;
            size = Math.abs(size);
            List<Fixture> checks = new ArrayList<>();
            for (int i = 0; i < CHECKS; i++) {
                checks.add(Fixture.iperf3());
            }
            Size s = new Size(size, "bench.check.results." + run + "." + figure + "." + size, checks, figure, cycle);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.BOOTSTRAP))) {
                admin.createTopics(List.of(new NewTopic(s.topic(), 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            produce(s);
            SIZES.add(s);
        }
        return Map.of("bandwatch.kafka.results-enabled", "false",
                "bandwatch.kafka.results-offset-reset", "earliest",
                "bandwatch.kafka.group", GROUP);
    }

    private static void produce(Size s) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant start = Instant.parse("2025-01-01T02:00:00Z");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (int i = 0; i < s.n(); i++) {
                Fixture f = s.checks().get(i % CHECKS);
                int night = i / CHECKS;
                CheckResult r = f.iperf3(start.plus(Duration.ofDays(night)), night % s.nightCycle() < 3 ? 4e6 : 40e6);
                RecordHeaders headers = new RecordHeaders();
                CloudEventHeaders.of(r, "/bandwatch/bench").forEach(headers::add);
                last = producer.send(new ProducerRecord<>(s.topic(), null, r.key().toString(), EventJson.write(r), headers));
            }
            producer.flush();
            last.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        System.out.printf("BENCH produced %d results to %s in %.1f s%n", s.n(), s.topic(), (System.nanoTime() - t0) / 1e9);
    }

    /** The reference's rate, and the machine's CPU per result while it read (from its first poll with records). */
    record Raw(double rate, Map<String, Double> cpuMicros) {
    }

    /**
     * The reference: poll + deserialize every record of the topic from its start, results/s, counted after the first
     * poll that returned records (as the service's rate is counted after its first committed batch).
     */
    static Raw consumeRaw(Size s) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
                EventDeserializer<CheckResult> deserializer = new EventDeserializer<>(CheckResult.class)) {
            List<TopicPartition> parts = consumer.partitionsFor(s.topic()).stream()
                    .map(i -> new TopicPartition(s.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            // timed as the service is: from the end of the first poll that returned records to the last record
            long t0 = 0;
            long firstPollStart = 0;
            int first = 0;
            int read = 0;
            ProcessCpu.Sample cpu0 = null;
            while (read < s.n()) {
                long pollStart = System.nanoTime();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (deserializer.deserialize(r.topic(), r.headers(), r.value()) != null) {
                        read++;
                    }
                }
                if (t0 == 0 && read > 0) {
                    cpu0 = ProcessCpu.sample(); // before the clock starts: the scan of /proc is not the reader's work
                    t0 = System.nanoTime();
                    firstPollStart = pollStart;
                    first = read;
                }
            }
            Map<String, Double> cpu = ProcessCpu.microsPer(cpu0, ProcessCpu.sample(), read - first);
            if (read == first) {
                // a size that fits in one poll (bench-test's tiny sizes): the rate of that poll, never 0
                return new Raw(read / (Math.max(1, t0 - firstPollStart) / 1e9), cpu);
            }
            return new Raw((read - first) / ((System.nanoTime() - t0) / 1e9), cpu);
        }
    }

    /** Deletes the bench's topics: nothing is left behind for what runs next. */
    static void deleteTopics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.BOOTSTRAP))) {
            admin.deleteTopics(SIZES.stream().map(Size::topic).toList()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("BENCH could not delete the bench topics: " + e);
        }
    }

    @Override
    public void stop() {
        deleteTopics();
    }
}
