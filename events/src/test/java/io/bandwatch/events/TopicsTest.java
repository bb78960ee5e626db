package io.bandwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicsTest {

    @Test
    void topicNames() {
        assertThat(Topics.ALL).containsExactly("inventory.devices", "inventory.iperf3-servers", "inventory.checks",
                "check.requests", "check.results", "alert.notifications", "devices.health", "inventory.token-revocations");
        assertThat(Topics.CHECK_RESULTS_DLQ).isEqualTo("check.results.dlq").isEqualTo(Topics.deadLetter(Topics.CHECK_RESULTS));
    }

    @Test
    void deadLetterRule() {
        assertThat(Topics.deadLetter("inventory.checks")).isEqualTo("inventory.checks.dlq");
        assertThat(Topics.isDeadLetter("inventory.checks.dlq")).isTrue();
        assertThat(Topics.origin("inventory.checks.dlq")).isEqualTo("inventory.checks");
        assertThat(Topics.origin("inventory.checks")).isEqualTo("inventory.checks");
        assertThatThrownBy(() -> Topics.deadLetter("check.results.dlq")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactedTopicsAreTheSnapshotsAndHealth() {
        assertThat(Topics.SPECS.stream().filter(TopicSpec::compacted).map(TopicSpec::name))
                .containsExactly("inventory.devices", "inventory.iperf3-servers", "inventory.checks", "devices.health",
                        "inventory.token-revocations");
    }

    @Test
    void specsListEveryTopicAndTheDeadLetterTopicsOfConsumedOnes() {
        assertThat(Topics.SPECS.stream().map(TopicSpec::name)).containsExactly("inventory.devices",
                "inventory.iperf3-servers", "inventory.checks", "check.requests", "check.results",
                "alert.notifications", "devices.health", "inventory.token-revocations", "inventory.devices.dlq", "inventory.iperf3-servers.dlq",
                "inventory.checks.dlq", "check.requests.dlq", "check.results.dlq", "devices.health.dlq");
        assertThat(Topics.spec("check.results")).get().extracting(TopicSpec::key).isEqualTo("device id");
        assertThat(Topics.spec("inventory.iperf3-servers")).get().extracting(TopicSpec::key)
                .isEqualTo("iperf3 server id");
        assertThat(Topics.spec("inventory.checks")).get().extracting(TopicSpec::key).isEqualTo("check id");
        assertThat(Topics.spec("check.results.dlq")).get().extracting(TopicSpec::compacted).isEqualTo(false);
        assertThat(Topics.spec("nope")).isEmpty();
    }

    @Test
    void aRevocationIsKeyedByWhatItNames() {
        assertThat(Samples.userRevocation().key()).isEqualTo(Samples.USER);
        assertThat(Samples.organizationRevocation().key()).isEqualTo(Samples.ORG);
        assertThat(Samples.membershipRevocation().key()).isEqualTo(TokenRevocation.membershipKey(Samples.USER, Samples.ORG))
                .isNotIn(Samples.USER, Samples.ORG);
        assertThatThrownBy(() -> new TokenRevocation(null, null, Samples.T0, "x")).isInstanceOf(InvalidFieldException.class);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeHasItsOwnTopicAndAMatchingKey(EventType type) {
        Event event = Samples.full(type);
        UUID key = type.keyOf(event);
        String keyDescription = Topics.spec(type.topic()).orElseThrow().key();

        assertThat(Topics.ALL).contains(type.topic());
        assertThat(event.key()).isEqualTo(key);
        UUID expected = switch (keyDescription) {
            case "device id" -> Samples.DEVICE;
            case "iperf3 server id" -> Samples.SERVER;
            case "check id" -> Samples.CHECK;
            case "user id, organization id or membership key" -> TokenRevocation.membershipKey(Samples.USER, Samples.ORG);
            default -> throw new AssertionError(keyDescription);
        };
        assertThat(key).isEqualTo(expected);
        assertThat(Arrays.stream(EventType.values()).filter(t -> t.topic().equals(type.topic()))).hasSize(1);
    }
}
