package io.bandwatch.metrics.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Puts a {@link SwitchableProxy} between the service under test and the InfluxDB at 127.0.0.1:8086. */
public class InfluxProxyResource implements QuarkusTestResourceLifecycleManager {

    private static SwitchableProxy proxy;

    public static SwitchableProxy proxy() {
        return proxy;
    }

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (proxy == null) {
                proxy = new SwitchableProxy("127.0.0.1", 8086);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the bench measures the service against InfluxDB itself, not through the test proxy
        String url = Boolean.getBoolean("bandwatch.bench") ? "http://127.0.0.1:8086" : "http://127.0.0.1:" + proxy.port();
        return Map.of("bandwatch.influx.url", url,
                // short pauses between retries keep the outage test quick
                "bandwatch.influx.retry-backoff", "200ms",
                "bandwatch.influx.retry-max-backoff", "2s",
                "bandwatch.influx.timeout", "5s");
    }

    @Override
    public void stop() {
        // the proxy lives as long as the test JVM: one app boot is shared by every test class
    }
}
