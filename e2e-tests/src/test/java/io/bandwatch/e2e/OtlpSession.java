package io.bandwatch.e2e;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs the {@link OtlpReceiver} for the whole test JVM (registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}), so that the spans of every
 * end-to-end test have a collector to go to, not only those of {@link TracingJourneyTest}: the services' exporters
 * then never fail while the tests run. Port {@code bandwatch.e2e.otlp-port} (4318, the OTLP/HTTP port).
 */
public class OtlpSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        int port = Integer.getInteger("bandwatch.e2e.otlp-port", 4318);
        try {
            OtlpReceiver.session(new OtlpReceiver(port));
        } catch (RuntimeException e) {
            System.err.println("e2e: no OTLP receiver on 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            OtlpReceiver.session().close();
        } catch (IllegalStateException none) {
            // none was started
        }
        OtlpReceiver.session(null);
    }
}
