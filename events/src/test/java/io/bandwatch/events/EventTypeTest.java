package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventTypeTest {

    @Test
    void attributesOfCheckResult() {
        EventType type = EventType.CHECK_RESULT;

        assertThat(type.eventClass()).isEqualTo(CheckResult.class);
        assertThat(type.topic()).isEqualTo("check.results");
        assertThat(type.ceType()).isEqualTo("io.bandwatch.check.result.v1");
        assertThat(type.version()).isEqualTo(1);
        assertThat(type.label()).isEqualTo("check.result v1");
        assertThat(type.schemaName()).isEqualTo("check-result");
        assertThat(type.schemaResource()).isEqualTo("io/bandwatch/events/schemas/check-result.v1.json");
        assertThat(EventType.IPERF3_SERVER_SNAPSHOT.label()).isEqualTo("iperf3-server.snapshot v1");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void lookups(EventType type) {
        assertThat(EventType.of(type.eventClass())).isEqualTo(type);
        assertThat(EventType.ofCeType(type.ceType())).contains(type);
        assertThat(EventType.ofTopic(type.topic())).contains(type);
        assertThat(EventType.ofTopic(Topics.deadLetter(type.topic()))).contains(type);
        assertThat(getClass().getClassLoader().getResource(type.schemaResource())).isNotNull();
        assertThat(Samples.full(type).eventType()).isEqualTo(type);
        assertThat(type.eventIdOf(Samples.full(type))).isEqualTo(Samples.full(type).eventId());
    }

    @Test
    void unknownLookups() {
        assertThatThrownBy(() -> EventType.of(String.class)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventType.ofCeType("io.bandwatch.check.result.v2")).isEmpty();
        assertThat(EventType.ofTopic("other")).isEmpty();
        assertThatThrownBy(() -> EventType.CHECK_RESULT.keyOf(Samples.health())).isInstanceOf(ClassCastException.class);
    }

    @Test
    void ceTypesAndSchemasAreUnique() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::ceType)).doesNotHaveDuplicates()
                .allMatch(t -> t.startsWith("io.bandwatch.") && t.endsWith(".v1"));
        assertThat(Arrays.stream(EventType.values()).map(EventType::schemaName)).doesNotHaveDuplicates();
    }

    @Test
    void eventsWithAnEventIdUseIt() {
        assertThat(Samples.iperf3Result().eventId()).isEqualTo(Samples.EVENT);
        assertThat(Samples.request().eventId()).isEqualTo(Samples.EVENT);
        assertThat(Samples.notification().eventId()).isEqualTo(Samples.EVENT);
    }
}
