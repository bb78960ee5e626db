package io.bandwatch.platform.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Checks the {@code bandwatch.secrets.*} keys when the service starts, so a wrong key (not base64, not 32
 * bytes, an active key that names none) stops the start instead of the first request that needs a secret.
 */
@ApplicationScoped
public class SecretKeysCheck {

    void onStart(@Observes StartupEvent event, SecretsConfig config, Instance<SecretBox> box) {
        if (config.required() || config.activeKey().isPresent() || !config.keys().isEmpty()) {
            box.get().activeKeyId();
        }
    }
}
