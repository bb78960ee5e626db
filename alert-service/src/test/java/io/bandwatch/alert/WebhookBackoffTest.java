package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.alert.service.Signatures;
import io.bandwatch.alert.service.WebhookDispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {

    @Test
    void backoffDoublesUpToTheCap() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(1);
        assertThat(WebhookDispatcher.backoff(initial, max, 1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WebhookDispatcher.backoff(initial, max, 2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(WebhookDispatcher.backoff(initial, max, 4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(WebhookDispatcher.backoff(initial, max, 5)).isEqualTo(max);
        assertThat(WebhookDispatcher.backoff(initial, max, 60)).isEqualTo(max);
    }

    @Test
    void signatureIsHmacSha256OfTheBody() {
        // RFC 4231 test case 2
        assertThat(Signatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
