package io.bandwatch.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A record on devices.health that is not a device-health event goes to devices.health.dlq; consumption goes on. */
@QuarkusTest
class DeviceHealthDeadLetterTest {

    @Test
    void poisonRecordGoesToTheDeadLetterTopic() throws Exception {
        String key = UUID.randomUUID().toString();
        try (KafkaProbe dlq = KafkaProbe.open("devices.health.dlq")) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaProbe.BOOTSTRAP);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("devices.health", key,
                        "{\"device_id\":\"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            assertThat(dlq.awaitKey(key, 1, Duration.ofSeconds(30))).hasSize(1);
        }
    }
}
