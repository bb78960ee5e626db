package io.bandwatch.metrics;

import static io.bandwatch.metrics.support.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Topics;
import io.bandwatch.metrics.messaging.CheckResultConsumer;
import io.bandwatch.metrics.support.DeadLetters;
import io.bandwatch.metrics.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Results that can never be written go to check.results.dlq with the reason; the good ones around them are written. */
@QuarkusTest
class DeadLetterTest {

    @Test
    void unreadableAndRefusedResultsAreDeadLetteredWithTheReason() throws Exception {
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        try (DeadLetters dlq = new DeadLetters()) {
            // 1. not a check result at all
            String badKey = UUID.randomUUID().toString();
            Fixtures.raw().send(new ProducerRecord<>(Topics.CHECK_RESULTS, badKey,
                    "{\"event_id\": 42".getBytes(StandardCharsets.UTF_8))).get();
            // 2. a valid result InfluxDB refuses (older than the raw retention of 30 days: HTTP 400)
            CheckResult tooOld = Fixtures.iperf3(org, device, UUID.randomUUID(),
                    Instant.now().minus(Duration.ofDays(40)), 5e6, 5e6, 1000);
            // 3. a good result in the same batch
            CheckResult good = Fixtures.iperf3(org, device, UUID.randomUUID(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), 5e6, 5e6, 1000);
            Fixtures.publish(tooOld, good);

            ConsumerRecord<String, byte[]> unreadable = dlq.await(r -> badKey.equals(r.key()), Duration.ofSeconds(30));
            assertThat(header(unreadable, CheckResultConsumer.HEADER_REASON)).startsWith("not a readable check result")
                    .contains("check.result v1");
            assertThat(header(unreadable, CheckResultConsumer.HEADER_TOPIC)).isEqualTo(Topics.CHECK_RESULTS);
            assertThat(new String(unreadable.value(), StandardCharsets.UTF_8)).isEqualTo("{\"event_id\": 42");

            ConsumerRecord<String, byte[]> refused = dlq.await(r -> device.toString().equals(r.key())
                    && CloudEventHeaders.id(r.headers()).orElse("").equals(tooOld.eventId().toString()),
                    Duration.ofSeconds(30));
            assertThat(header(refused, CheckResultConsumer.HEADER_REASON)).contains("HTTP 400")
                    .contains("retention policy");
            assertThat(EventJson.read(refused.value(), CheckResult.class)).isEqualTo(tooOld);

            await().atMost(Duration.ofSeconds(30)).until(() -> count("iperf3", "iperf3_result", device) == 1);
        }
    }

    @Test
    void aResultWithAFieldThisVersionDoesNotKnowIsDeadLetteredWithTheHeadersAndTheNextIsWritten() throws Exception {
        UUID org = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        try (DeadLetters dlq = new DeadLetters()) {
            // a newer producer's result: valid in every known field, plus one this reader does not know
            CheckResult first = Fixtures.iperf3(org, device, UUID.randomUUID(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120), 5e6, 5e6, 1000);
            byte[] newer = EventJson.writeString(first).replaceFirst("\\{", "{\"added_in_v2\":1,")
                    .getBytes(StandardCharsets.UTF_8);
            long offset = Fixtures.raw().send(new ProducerRecord<>(Topics.CHECK_RESULTS, device.toString(), newer))
                    .get().offset();
            CheckResult next = Fixtures.iperf3(org, device, UUID.randomUUID(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), 5e6, 5e6, 1000);
            Fixtures.publish(next);

            ConsumerRecord<String, byte[]> dead = dlq.await(r -> device.toString().equals(r.key()), Duration.ofSeconds(30));
            assertThat(dead.value()).isEqualTo(newer);
            assertThat(header(dead, CheckResultConsumer.HEADER_REASON)).contains("unknown field 'added_in_v2'");
            assertThat(header(dead, CheckResultConsumer.HEADER_TOPIC)).isEqualTo(Topics.CHECK_RESULTS);
            assertThat(header(dead, CheckResultConsumer.HEADER_PARTITION)).isNotBlank();
            assertThat(header(dead, CheckResultConsumer.HEADER_OFFSET)).isEqualTo(Long.toString(offset));
            await().atMost(Duration.ofSeconds(30)).until(() -> count("iperf3", "iperf3_result", device) == 1);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return CloudEventHeaders.get(record.headers(), name).orElse("");
    }
}
