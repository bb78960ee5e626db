package io.bandwatch.metrics.support;

import io.bandwatch.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a {@link PrivateInflux} (influxd and nginx under {@code target/private-influx/}) and points the service at
 * it, with a consumer group of its own whose offsets start at the current end of {@code check.results} (so the
 * service reads only what the test publishes, and the test can read the group's committed offsets).
 */
public class PrivateInfluxResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: {@code "false"} starts the service with influxd not running yet (nginx answers 502). */
    public static final String INFLUXD_AT_START = "influxd-at-start";

    private static volatile PrivateInflux influx;
    private boolean influxdAtStart = true;
    private static volatile String group;

    public static PrivateInflux influx() {
        return influx;
    }

    public static String group() {
        return group;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        influxdAtStart = !"false".equals(initArgs.get(INFLUXD_AT_START));
    }

    @Override
    public Map<String, String> start() {
        PrivateInflux started = PrivateInflux.start(Path.of("target", "private-influx"), influxdAtStart);
        // children die with the test JVM on every exit path (normal end, failure, Ctrl-C)
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "private-influx-stop"));
        influx = started;
        group = "metrics-service-outage-test-" + UUID.randomUUID();
        KafkaGroups.startAtEnd(group, Topics.CHECK_RESULTS);
        return Map.of("bandwatch.influx.url", started.url(),
                "mp.messaging.incoming.\"check.results\".group.id", group);
    }

    @Override
    public void stop() {
        if (influx != null) {
            influx.close();
        }
        if (group != null) {
            KafkaGroups.deleteQuietly(group);
        }
    }
}
