package io.bandwatch.platform.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of secrets at rest. A ciphertext is {@code <key id>:<base64(iv || ciphertext+tag)>};
 * the key id selects the key on decryption, so keys can be rotated: add a new key, make it active, keep
 * the old one until every row was re-encrypted (re-saving a secret re-encrypts it with the active key).
 * The associated data binds a ciphertext to its owner ({@code device:<id>}, {@code webhook:<id>}), so a
 * ciphertext copied to another row does not decrypt. Strict on decryption: a ciphertext that is not base64 or
 * too short to hold an IV and a tag is refused as tampered. Configured by {@link SecretsConfig}; the services
 * that use it check it at start ({@link SecretKeysCheck}).
 */
@ApplicationScoped
public class SecretBox {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKey> keys = new HashMap<>();
    private final String activeKeyId;
    private final SecureRandom random = new SecureRandom();

    @jakarta.inject.Inject
    public SecretBox(SecretsConfig config) {
        this(config.activeKey().orElseThrow(() -> new IllegalStateException(
                "bandwatch.secrets.active-key is not set (env BANDWATCH_SECRETS_ACTIVE_KEY)")), config.keys());
    }

    public SecretBox(String activeKeyId, Map<String, String> base64Keys) {
        if (base64Keys == null || base64Keys.isEmpty()) {
            throw new IllegalStateException("bandwatch.secrets.keys is empty: set bandwatch.secrets.keys.<kid> "
                    + "(env BANDWATCH_SECRETS_KEYS_<KID>) to the base64 of a 32-byte AES key");
        }
        base64Keys.forEach((kid, value) -> {
            if (kid.contains(":")) {
                throw new IllegalStateException("bandwatch.secrets.keys: key id must not contain ':': " + kid);
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("bandwatch.secrets.keys." + kid + " is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("bandwatch.secrets.keys." + kid + " must be 32 bytes (AES-256), was "
                        + raw.length);
            }
            keys.put(kid, new SecretKeySpec(raw, "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("bandwatch.secrets.active-key '" + activeKeyId
                    + "' does not name an entry of bandwatch.secrets.keys");
        }
        this.activeKeyId = activeKeyId;
    }

    /** The associated data of the secret of one object: {@code "<kind>:<id>"}, e.g. {@code webhook:<uuid>}. */
    public static String context(String kind, java.util.UUID id) {
        return kind + ":" + id;
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public String encrypt(String plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed);
            return activeKeyId + ":" + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String ciphertext, String context) {
        int colon = ciphertext.indexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("not a Bandwatch ciphertext (no key id)");
        }
        String kid = ciphertext.substring(0, colon);
        SecretKey key = keys.get(kid);
        if (key == null) {
            throw new IllegalStateException("no key '" + kid + "' in bandwatch.secrets.keys to decrypt a stored secret");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(ciphertext.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored secret is not valid base64 (tampered)", e);
        }
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("stored secret is too short (tampered)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored secret does not decrypt (wrong key or tampered)", e);
        }
    }
}
