package io.bandwatch.alert.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/** A consumer group of the service on the real Kafka, seen and moved through the AdminClient. */
public final class ConsumerGroups implements AutoCloseable {

    private final Admin admin;
    private final String group;

    public ConsumerGroups(String group) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        this.admin = Admin.create(props);
        this.group = group;
    }

    public String group() {
        return group;
    }

    public List<TopicPartition> partitions(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions(topic).stream().collect(Collectors.toMap(p -> p, p -> spec));
        return get(admin.listOffsets(request).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    public Map<TopicPartition, Long> endOffsets(String topic) {
        return offsets(topic, OffsetSpec.latest());
    }

    public Map<TopicPartition, Long> earliestOffsets(String topic) {
        return offsets(topic, OffsetSpec.earliest());
    }

    /** The records between earliest and end of every partition. */
    public long size(String topic) {
        Map<TopicPartition, Long> earliest = earliestOffsets(topic);
        return endOffsets(topic).entrySet().stream().mapToLong(e -> e.getValue() - earliest.get(e.getKey())).sum();
    }

    /** The group's committed offsets of one topic (a partition it never committed is absent). */
    public Map<TopicPartition, Long> committed(String topic) {
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()).forEach((tp, om) -> {
            if (om != null && tp.topic().equals(topic)) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    /** True when the group has committed at least {@code target} on every partition of it. */
    public boolean reached(Map<TopicPartition, Long> target) {
        Map<TopicPartition, Long> committed = committed(target.keySet().iterator().next().topic());
        return target.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private ConsumerGroupDescription describe() {
        return get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
    }

    /** Waits until the group's members hold every partition of the topic (a new group starting at the end). */
    public void awaitAssigned(String topic, Duration within) {
        int partitions = partitions(topic).size();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            long assigned = describe().members().stream().map(MemberDescription::assignment)
                    .flatMap(a -> a.topicPartitions().stream()).filter(tp -> tp.topic().equals(topic)).count();
            if (assigned == partitions) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("group " + group + " was not assigned " + topic + " within " + within);
    }

    /** Waits until the group has no member (after a graceful stop its consumers leave at once). */
    public void awaitEmpty(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d = describe();
            if (d.members().isEmpty() && (d.groupState() == GroupState.EMPTY || d.groupState() == GroupState.DEAD)) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("group " + group + " still has members after " + within);
    }

    /**
     * Moves the (empty) group's offsets of the topic to the earliest offsets, as
     * {@code kafka-consumer-groups --reset-offsets --to-earliest} does; returns them.
     */
    public Map<TopicPartition, Long> resetToEarliest(String topic) {
        Map<TopicPartition, Long> earliest = earliestOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> offsets = earliest.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        get(admin.alterConsumerGroupOffsets(group, offsets).all());
        return earliest;
    }

    public void deleteQuietly() {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a group left behind is harmless (Kafka expires it)
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
