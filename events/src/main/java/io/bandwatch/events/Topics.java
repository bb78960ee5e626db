package io.bandwatch.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka topics. Channel name = topic name in every service. Keys are UUIDs in their
 * 36-character lower-case text form (StringSerializer), see {@link EventType#keyOf}.
 */
public final class Topics {

    /** Device snapshots, key device id; compacted, tombstone (null value) on delete. */
    public static final String INVENTORY_DEVICES = "inventory.devices";
    /** iperf3 server snapshots, key server id; compacted, tombstone on delete. */
    public static final String INVENTORY_IPERF3_SERVERS = "inventory.iperf3-servers";
    /** Check snapshots, key check id; compacted, tombstone on delete. */
    public static final String INVENTORY_CHECKS = "inventory.checks";
    /** On-demand "run now" requests, key device id. */
    public static final String CHECK_REQUESTS = "check.requests";
    /** One result per finished run, key device id. */
    public static final String CHECK_RESULTS = "check.results";
    /** Problem and recovery notifications, key device id. */
    public static final String ALERT_NOTIFICATIONS = "alert.notifications";
    /** Device health, key device id; compacted. */
    public static final String DEVICES_HEALTH = "devices.health";
    /**
     * Token revocations (access ended early), key user id, organization id or membership key; compacted. Read
     * whole by every replica of every service (no consumer group), so there is no dead-letter topic.
     */
    public static final String TOKEN_REVOCATIONS = "inventory.token-revocations";

    /** Suffix of a dead-letter topic: {@code deadLetter(topic) = topic + ".dlq"}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** Poison {@code check.results} records (metrics and alert services). */
    public static final String CHECK_RESULTS_DLQ = "check.results.dlq";

    /** The event topics (not the dead-letter topics), in pipeline order. */
    public static final List<String> ALL = List.of(INVENTORY_DEVICES, INVENTORY_IPERF3_SERVERS, INVENTORY_CHECKS,
            CHECK_REQUESTS, CHECK_RESULTS, ALERT_NOTIFICATIONS, DEVICES_HEALTH, TOKEN_REVOCATIONS);

    /**
     * Every topic the deployment must create: the event topics, then a dead-letter topic for each
     * topic a Bandwatch service consumes (all but {@code alert.notifications}, which only
     * integrations read, and the token revocations, which every replica reads whole without a group).
     * Dead-letter topics are never compacted.
     */
    public static final List<TopicSpec> SPECS = specs();

    private Topics() {
    }

    /** The dead-letter topic of a topic: {@code topic + ".dlq"}. */
    public static String deadLetter(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (isDeadLetter(topic)) {
            throw new IllegalArgumentException("already a dead-letter topic: " + topic);
        }
        return topic + DEAD_LETTER_SUFFIX;
    }

    public static boolean isDeadLetter(String topic) {
        return topic.endsWith(DEAD_LETTER_SUFFIX);
    }

    /** The topic a dead-letter topic belongs to; the topic itself when it is not one. */
    public static String origin(String topic) {
        return isDeadLetter(topic) ? topic.substring(0, topic.length() - DEAD_LETTER_SUFFIX.length()) : topic;
    }

    public static Optional<TopicSpec> spec(String name) {
        return SPECS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private static List<TopicSpec> specs() {
        List<TopicSpec> event = List.of(
                new TopicSpec(INVENTORY_DEVICES, true, "device id"),
                new TopicSpec(INVENTORY_IPERF3_SERVERS, true, "iperf3 server id"),
                new TopicSpec(INVENTORY_CHECKS, true, "check id"),
                new TopicSpec(CHECK_REQUESTS, false, "device id"),
                new TopicSpec(CHECK_RESULTS, false, "device id"),
                new TopicSpec(ALERT_NOTIFICATIONS, false, "device id"),
                new TopicSpec(DEVICES_HEALTH, true, "device id"),
                new TopicSpec(TOKEN_REVOCATIONS, true, "user id, organization id or membership key"));
        List<TopicSpec> all = new ArrayList<>(event);
        for (TopicSpec spec : event) {
            if (!spec.name().equals(ALERT_NOTIFICATIONS) && !spec.name().equals(TOKEN_REVOCATIONS)) {
                all.add(new TopicSpec(deadLetter(spec.name()), false, spec.key() + " (as in " + spec.name() + ")"));
            }
        }
        return List.copyOf(all);
    }
}
