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

    Secrets secrets();

    Checks checks();

    interface Auth {
        /** Lifetime of the tokens issued by {@code POST /api/v1/auth/token}. */
        @WithDefault("PT1H")
        Duration tokenLifetime();

        /** First superuser, created at start when the user table is empty and a password is set. */
        InitialSuperuser initialSuperuser();

        /**
         * Service accounts created (or whose password is reset) at start, one per entry:
         * {@code bandwatch.auth.service-accounts.<name>.password}. The account's user name is the entry name.
         */
        Map<String, ServiceAccount> serviceAccounts();
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

    interface Secrets {
        /** Key id used to encrypt new secrets; must name an entry of {@code keys}. No default. */
        String activeKey();

        /** AES-256 keys by key id, base64 of 32 bytes. Old keys stay to decrypt old ciphertexts. */
        Map<String, String> keys();
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
