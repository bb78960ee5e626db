package io.bandwatch.events;

import java.util.Objects;

/**
 * One Kafka topic of Bandwatch: its name, whether it is log-compacted, and what its record key is.
 * The deployment's topic resources must match {@link Topics#SPECS}.
 *
 * @param name      the topic name
 * @param compacted true for {@code cleanup.policy=compact} (latest snapshot per key), false for delete
 * @param key       what the record key is, in words (always a UUID in its 36-character text form)
 */
public record TopicSpec(String name, boolean compacted, String key) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }
}
