package io.bandwatch.runner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the runner reaches inventory-service ({@code bandwatch.inventory.*}, environment {@code BANDWATCH_INVENTORY_*}). */
@ConfigMapping(prefix = "bandwatch.inventory")
public interface InventoryConfig {

    /** Base URL of inventory-service. */
    @WithDefault("http://127.0.0.1:8081")
    String url();

    /** Service account name ({@code bandwatch.auth.service-accounts.<name>} on inventory's side). */
    @WithDefault("check-runner")
    String serviceUsername();

    /** Its password (production: from a Secret, {@code BANDWATCH_INVENTORY_SERVICE_PASSWORD}). */
    Optional<String> servicePassword();

    /** Connect and read timeout of every call. */
    @WithDefault("10s")
    Duration timeout();
}
