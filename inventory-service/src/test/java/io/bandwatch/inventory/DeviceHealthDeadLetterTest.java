package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.platform.messaging.DeadLetters;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A record on devices.health that is not a device-health event (also one with a field this version does not know)
 * goes to devices.health.dlq with the platform's dead-letter headers; consumption goes on.
 */
@QuarkusTest
class DeviceHealthDeadLetterTest {

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaProbe.BOOTSTRAP);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopic() throws Exception {
        String key = UUID.randomUUID().toString();
        try (KafkaProbe dlq = KafkaProbe.open("devices.health.dlq")) {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>("devices.health", key,
                        "{\"device_id\":\"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            assertThat(dlq.awaitKey(key, 1, Duration.ofSeconds(30))).hasSize(1);
        }
    }

    @Test
    void anEventWithAnUnknownFieldIsDeadLetteredWithTheHeadersAndTheNextOneIsApplied() throws Exception {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        String key = device.toString();
        Instant now = Instant.now();
        // a newer producer's event: valid in every known field, plus one this reader does not know
        String unknown = EventJson.writeString(new DeviceHealth(device, org, HealthStatus.PROBLEM, now.minusSeconds(5),
                "from a newer producer")).replaceFirst("\\{", "{\"added_in_v2\":true,");
        byte[] next = EventJson.write(new DeviceHealth(device, org, HealthStatus.CRITICAL, now, "tcp below threshold"));
        try (KafkaProbe dlq = KafkaProbe.open("devices.health.dlq")) {
            long offset;
            try (KafkaProducer<String, byte[]> producer = producer()) {
                offset = producer.send(new ProducerRecord<>("devices.health", key,
                        unknown.getBytes(StandardCharsets.UTF_8))).get().offset();
                producer.send(new ProducerRecord<>("devices.health", key, next)).get();
            }
            ConsumerRecord<String, String> dead = dlq.awaitKey(key, 1, Duration.ofSeconds(30)).get(0);
            assertThat(dead.value()).isEqualTo(unknown);
            assertThat(header(dead, DeadLetters.REASON)).contains("unknown field 'added_in_v2'");
            assertThat(header(dead, DeadLetters.TOPIC)).isEqualTo("devices.health");
            assertThat(header(dead, DeadLetters.PARTITION)).isNotBlank();
            assertThat(header(dead, DeadLetters.OFFSET)).isEqualTo(Long.toString(offset));
        }
        String owner = Api.token(org, "owner");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(String.valueOf(
                Api.as(owner).get("/api/v1/devices/" + device).then().statusCode(200).extract().<Object>path("health")))
                .isEqualTo("critical"));
    }
}
