package io.bandwatch.alert.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code bandwatch.alert.*}; every default is documented here and in README.md. */
@ConfigMapping(prefix = "bandwatch.alert")
public interface AlertConfig {

    /** Timeout of one database transaction or query (BANDWATCH_ALERT_DB_TIMEOUT). */
    @WithDefault("15s")
    Duration dbTimeout();

    Webhook webhook();

    interface Webhook {
        /** How often due deliveries are attempted (BANDWATCH_ALERT_WEBHOOK_POLL_INTERVAL). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Connect and response timeout of one POST (BANDWATCH_ALERT_WEBHOOK_TIMEOUT). */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts before a delivery is given up as failed (BANDWATCH_ALERT_WEBHOOK_MAX_ATTEMPTS). */
        @WithDefault("10")
        int maxAttempts();

        /** Delay after the first failure, doubled after each further one (BANDWATCH_ALERT_WEBHOOK_INITIAL_BACKOFF). */
        @WithDefault("5s")
        Duration initialBackoff();

        /** Largest delay between attempts (BANDWATCH_ALERT_WEBHOOK_MAX_BACKOFF). */
        @WithDefault("1h")
        Duration maxBackoff();

        /** Deliveries attempted per round (BANDWATCH_ALERT_WEBHOOK_BATCH_SIZE). */
        @WithDefault("20")
        int batchSize();

        /**
         * Internal networks (CIDRs, comma-separated) that webhooks may reach all the same, for operators whose
         * receivers live inside (BANDWATCH_ALERT_WEBHOOK_ALLOWED_INTERNAL_CIDRS). Empty: no internal address at all.
         */
        Optional<List<String>> allowedInternalCidrs();
    }
}
