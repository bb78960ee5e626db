package io.bandwatch.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private final String context = SecretBox.context("webhook", UUID.randomUUID());

    @Test
    void roundTripPrefixesTheKeyIdAndNeverShowsThePlaintext() {
        SecretBox box = new SecretBox("k1", Map.of("k1", K1));
        String sealed = box.encrypt("s3cret-webhook-key-0123456789", context);
        assertThat(sealed).startsWith("k1:").doesNotContain("s3cret");
        assertThat(box.decrypt(sealed, context)).isEqualTo("s3cret-webhook-key-0123456789");
        assertThat(box.encrypt("s3cret-webhook-key-0123456789", context)).isNotEqualTo(sealed); // random IV
    }

    @Test
    void rotationDecryptsOldCiphertextsWithTheOldKey() {
        String old = new SecretBox("k1", Map.of("k1", K1)).encrypt("secret", context);
        SecretBox rotated = new SecretBox("k2", Map.of("k1", K1, "k2", K2));
        assertThat(rotated.decrypt(old, context)).isEqualTo("secret");
        assertThat(rotated.encrypt("secret", context)).startsWith("k2:");
    }

    @Test
    void tamperingAndAnotherOwnerAreDetected() {
        SecretBox box = new SecretBox("k1", Map.of("k1", K1));
        String sealed = box.encrypt("secret", context);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "k1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.decrypt(tampered, context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tampered");
        assertThatThrownBy(() -> box.decrypt(sealed, SecretBox.context("webhook", UUID.randomUUID())))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> box.decrypt("k1:!!not-base64!!", context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("base64");
        // an IV and less than a tag: refused as tampered, not an ArrayIndexOutOfBounds or a cipher error
        assertThatThrownBy(() -> box.decrypt("k1:" + Base64.getEncoder().encodeToString(new byte[20]), context))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too short");
    }

    @Test
    void unknownKeyIdAndBadConfigurationAreRejected() {
        String sealed = new SecretBox("k2", Map.of("k2", K2)).encrypt("secret", context);
        SecretBox box = new SecretBox("k1", Map.of("k1", K1));
        assertThatThrownBy(() -> box.decrypt(sealed, context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no key 'k2'");
        assertThatThrownBy(() -> box.decrypt("plain-secret", context)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretBox("k1", Map.of())).hasMessageContaining("bandwatch.secrets.keys");
        assertThatThrownBy(() -> new SecretBox("k9", Map.of("k1", K1))).hasMessageContaining("active-key");
        assertThatThrownBy(() -> new SecretBox("k1", Map.of("k1", Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("32 bytes");
    }
}
