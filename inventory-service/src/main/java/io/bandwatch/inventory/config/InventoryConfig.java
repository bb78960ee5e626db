package io.bandwatch.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Typed configuration of inventory-service ({@code bandwatch.*}). Defaults are documented in README. */
@ConfigMapping(prefix = "bandwatch")
public interface InventoryConfig {

    Auth auth();


    Checks checks();

    interface Auth {
        /** Lifetime of the tokens issued by {@code POST /api/v1/auth/token}. */
        @WithDefault("PT1H")
        Duration tokenLifetime();

        /**
         * The longest {@code exp - iat} accepted (read by the platform's {@code TokenPolicy} in every service;
         * application.properties sets it to {@link #tokenLifetime()}).
         */
        Optional<Duration> maxTokenLifetime();

        /** First superuser, created at start when the user table is empty and a password is set. */
        InitialSuperuser initialSuperuser();

        /**
         * Service accounts created (or whose password is reset) at start, one per entry:
         * {@code bandwatch.auth.service-accounts.<name>.password}. The account's user name is the entry name.
         */
        Map<String, ServiceAccount> serviceAccounts();

        /** Throttling of wrong passwords at {@code POST /api/v1/auth/token} ({@code LoginThrottle}). */
        LoginThrottle loginThrottle();
    }

    interface LoginThrottle {
        /** Failures of one user name, within the window, before attempts must wait (BANDWATCH_AUTH_LOGIN_THROTTLE_USER_FAILURES). */
        @WithDefault("5")
        int userFailures();

        /** Failures from one source address before its attempts must wait (BANDWATCH_AUTH_LOGIN_THROTTLE_SOURCE_FAILURES). */
        @WithDefault("100")
        int sourceFailures();

        /** Failures older than this are forgotten (BANDWATCH_AUTH_LOGIN_THROTTLE_WINDOW). */
        @WithDefault("15m")
        Duration window();

        /** The longest wait, reached after about 10 further failures (BANDWATCH_AUTH_LOGIN_THROTTLE_LOCKOUT). */
        @WithDefault("15m")
        Duration lockout();

        /**
         * Proxies whose {@code X-Forwarded-For} names the real source (the console; CIDRs), e.g. the console's
         * pod network on Kubernetes (BANDWATCH_AUTH_LOGIN_THROTTLE_TRUSTED_PROXIES). Loopback by default: the
         * local stack's console.
         */
        @WithDefault("127.0.0.0/8,::1/128")
        java.util.List<String> trustedProxies();
    }

    interface InitialSuperuser {
        @WithDefault("admin")
        String username();

        /** No default: without it no superuser is created. */
        Optional<String> password();
    }

    interface ServiceAccount {
        String password();
    }

    interface Checks {
        /** Schedule of the ping check created with every device. */
        @WithDefault("PT5M")
        Duration defaultPingInterval();

        /** Cron expression of the iperf3 check created with every device (nightly). */
        @WithDefault("0 0 * * *")
        String defaultIperf3Cron();

        @WithDefault("UTC")
        String defaultIperf3TimeZone();

        /** Random slip of the nightly iperf3 check, spreading the fleet over the night. */
        @WithDefault("PT5H")
        Duration defaultIperf3RandomSlip();
    }
}
