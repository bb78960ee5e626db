package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The digits fast path of instants: the producers' form is read to the instant {@code Instant.parse} gives, through
 * the events' reader too; every other spelling is declined (null), so Jackson's reader decides it as before.
 */
class CanonicalInstantsTest {

    record At(@JsonProperty("at") Instant at) {
    }

    private static Instant parse(String text) {
        char[] padded = ("ab" + text + "cd").toCharArray();
        return CanonicalInstants.parse(padded, 2, text.length());
    }

    @Test
    void theProducersFormIsTheFormattersInstant() {
        for (String t : List.of("2025-01-01T02:00:00Z", "2025-01-01T02:00:00.5Z", "2025-01-01T02:00:00.000000001Z",
                "2025-01-01T02:00:00.123456789Z", "2024-02-29T23:59:59Z", "2025-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.9Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            assertThat(parse(t)).as(t).isEqualTo(Instant.parse(t));
            assertThat(EventJson.read("{\"at\": \"" + t + "\"}", At.class).at()).as(t).isEqualTo(Instant.parse(t));
        }
        Instant now = Instant.now();
        assertThat(parse(now.toString())).isEqualTo(now);
    }

    @Test
    void everyOtherSpellingIsLeftToJackson() {
        for (String t : List.of("2025-02-29T02:00:00Z", "2025-04-31T02:00:00Z", "2025-13-01T02:00:00Z",
                "2025-01-01T24:00:00Z", "2025-01-01T02:60:00Z", "2025-01-01T02:00:60Z", "2025-01-01T02:00:00.Z",
                "2025-01-01T02:00:00.1234567890Z", "2025-01-01T02:00:00+00:00", "2025-01-01T03:00:00+01:00",
                "2025-01-01t02:00:00z", " 2025-01-01T02:00:00Z", "2025-01-01 02:00:00Z", "1735696800", "",
                "2025-1-01T02:00:00Z", "+2025-01-01T02:00:00Z", "2025-01-01T02:00Z", "2025-01-01T02:00:0xZ")) {
            assertThat(parse(t)).as(t).isNull();
        }
    }

    @Test
    void impossibleDatesAreStillRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> EventJson.read("{\"at\": \"2025-02-29T02:00:00Z\"}", At.class))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("at");
        assertThatThrownBy(() -> EventJson.read("{\"at\": 1735696800}", At.class))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("at");
    }
}
