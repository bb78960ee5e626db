package io.bandwatch.alert.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** {@code bandwatch.secrets.*}: the AES-256-GCM keys of webhook secrets at rest. No defaults: start fails without them. */
@ConfigMapping(prefix = "bandwatch.secrets")
public interface SecretsConfig {

    /** Key id used to encrypt new secrets; must name an entry of {@code keys} (BANDWATCH_SECRETS_ACTIVE_KEY). */
    String activeKey();

    /** AES-256 keys by key id, base64 of 32 bytes (BANDWATCH_SECRETS_KEYS_<KID>). Old keys stay to decrypt old rows. */
    Map<String, String> keys();
}
