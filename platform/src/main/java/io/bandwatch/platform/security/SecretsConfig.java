package io.bandwatch.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bandwatch.secrets.*}: the AES-256-GCM keys of {@link SecretBox}. Optional here because services
 * without secrets at rest (runner, metrics) have none; a service that keeps secrets sets
 * {@code bandwatch.secrets.required=true} and then does not start without valid keys ({@link SecretKeysCheck}).
 */
@ConfigMapping(prefix = "bandwatch.secrets")
public interface SecretsConfig {

    /** Key id used to encrypt new secrets; must name an entry of {@code keys} (BANDWATCH_SECRETS_ACTIVE_KEY). */
    Optional<String> activeKey();

    /** AES-256 keys by key id, base64 of 32 bytes (BANDWATCH_SECRETS_KEYS_<KID>). Old keys stay to decrypt old rows. */
    Map<String, String> keys();

    /** true in services that keep secrets at rest (inventory, alert): start fails without valid keys. */
    @WithDefault("false")
    boolean required();
}
