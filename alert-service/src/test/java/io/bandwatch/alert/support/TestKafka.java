package io.bandwatch.alert.support;

import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.Event;
import io.bandwatch.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real Kafka for the tests: produce events as the other services do, read the service's output topics. */
public final class TestKafka {

    public static final String BOOTSTRAP = "127.0.0.1:9092";

    private static KafkaProducer<String, byte[]> producer;
    private static volatile boolean assigned;

    private TestKafka() {
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Sends an event with its CloudEvents headers, keyed as the contract says; waits for the ack. */
    public static void send(Event event) {
        send(event.eventType().topic(), event);
    }

    public static void send(String topic, Event event) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(event, "/bandwatch/test").forEach(headers::add);
        sendRaw(new ProducerRecord<>(topic, null, event.key().toString(), EventJson.write(event), headers));
    }

    public static void tombstone(String topic, UUID key) {
        sendRaw(new ProducerRecord<>(topic, key.toString(), null));
    }

    public static void sendRaw(ProducerRecord<String, byte[]> record) {
        try {
            producer().send(record).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + record.topic() + " failed", e);
        }
    }

    public static void sendAll(Collection<? extends Event> events) {
        events.forEach(TestKafka::send);
    }

    /**
     * Waits until the service's consumer group has every partition of {@code check.results} assigned, so that a
     * group starting from the end does not miss the first records of a test.
     */
    public static void awaitServiceAssigned() {
        if (assigned) {
            return;
        }
        String group = ConfigProvider.getConfig().getValue("bandwatch.kafka.group", String.class);
        long deadline = System.currentTimeMillis() + 60_000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            int partitions = admin.describeTopics(List.of("check.results")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("check.results").partitions().size();
            while (System.currentTimeMillis() < deadline) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                        .get(group);
                long count = d.members().stream().map(MemberDescription::assignment)
                        .flatMap(a -> a.topicPartitions().stream()).filter(tp -> tp.topic().equals("check.results"))
                        .count();
                if (count == partitions) {
                    assigned = true;
                    return;
                }
                Thread.sleep(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe group " + group, e);
        }
        throw new IllegalStateException("service group " + group + " not assigned check.results within 60 s");
    }

    /** Creates a topic the service has not written to yet (as the broker would on first use), so it can be read. */
    public static void ensureTopic(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                NewTopic t = new NewTopic(topic, 3, (short) 1);
                if (topic.equals("devices.health")) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(t)).all().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /** Reads a topic from its end at creation (or its beginning), keeping the records of one key. */
    public static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final String key;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        public Reader(String topic, UUID key, boolean fromBeginning) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            ensureTopic(topic);
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            if (fromBeginning) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position);
            }
            this.key = key.toString();
        }

        private void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(r.key())) {
                    records.add(r);
                }
            }
        }

        /** Polls until {@code done} holds for the records of the key, or the timeout. */
        public List<ConsumerRecord<String, byte[]>> await(Predicate<List<ConsumerRecord<String, byte[]>>> done,
                Duration timeout) {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            do {
                poll();
                if (done.test(records)) {
                    return List.copyOf(records);
                }
            } while (System.currentTimeMillis() < deadline);
            return List.copyOf(records);
        }

        /** Everything of the key up to the current end of every partition. */
        public List<ConsumerRecord<String, byte[]>> readToEnd() {
            Set<TopicPartition> parts = consumer.assignment();
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                poll();
            }
            return List.copyOf(records);
        }

        public List<ConsumerRecord<String, byte[]>> records() {
            return List.copyOf(records);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    public static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static <T> List<T> values(List<ConsumerRecord<String, byte[]>> records, Class<T> type) {
        return records.stream().map(r -> EventJson.read(r.value(), type)).collect(Collectors.toList());
    }
}
