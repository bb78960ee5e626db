package io.bandwatch.inventory.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AES-GCM at rest: key ids for rotation, binding to the owner, tamper detection, fail-fast configuration. */
class SecretBoxTest {

    static String key(char c) {
        return Base64.getEncoder().encodeToString(String.valueOf(c).repeat(32).getBytes());
    }

    @Test
    void rotationKeepsOldCiphertextsReadable() {
        SecretBox before = new SecretBox("k1", Map.of("k1", key('a')));
        String old = before.encrypt("hunter2", "device:1");
        assertThat(old).startsWith("k1:").doesNotContain("hunter2");
        SecretBox after = new SecretBox("k2", Map.of("k1", key('a'), "k2", key('b')));
        assertThat(after.decrypt(old, "device:1")).isEqualTo("hunter2");
        String fresh = after.encrypt("hunter2", "device:1");
        assertThat(fresh).startsWith("k2:").isNotEqualTo(after.encrypt("hunter2", "device:1"));
        assertThat(after.decrypt(fresh, "device:1")).isEqualTo("hunter2");
        // once k1 is retired, its ciphertexts no longer decrypt: re-save secrets before removing a key
        assertThatThrownBy(() -> new SecretBox("k2", Map.of("k2", key('b'))).decrypt(old, "device:1"))
                .hasMessageContaining("no key 'k1'");
    }

    @Test
    void ciphertextIsBoundToItsOwnerAndTamperEvident() {
        SecretBox box = new SecretBox("k1", Map.of("k1", key('a')));
        String c = box.encrypt("s3cret", "device:1");
        assertThatThrownBy(() -> box.decrypt(c, "device:2")).hasMessageContaining("does not decrypt");
        byte[] raw = Base64.getDecoder().decode(c.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "k1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.decrypt(tampered, "device:1")).hasMessageContaining("does not decrypt");
    }

    @Test
    void badConfigurationFailsFastWithAClearMessage() {
        assertThatThrownBy(() -> new SecretBox("k1", Map.of())).hasMessageContaining("bandwatch.secrets.keys");
        assertThatThrownBy(() -> new SecretBox("k9", Map.of("k1", key('a'))))
                .hasMessageContaining("bandwatch.secrets.active-key 'k9'");
        assertThatThrownBy(() -> new SecretBox("k1", Map.of("k1", "c2hvcnQ="))).hasMessageContaining("32 bytes");
    }
}
