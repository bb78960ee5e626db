package io.bandwatch.alert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The check.results consumers connect as the service's channels do: with the broker's security from the service's
 * Kafka client settings (SASL_SSL in Kubernetes, {@code KAFKA_*}), which Quarkus gives as its
 * {@code default-kafka-broker} map. Without them the consumers could not read a single result there.
 */
class ResultsConsumerSecurityTest {

    @Test
    void theConsumersHaveTheBrokersSecurity() {
        ResultsConsumer consumer = new ResultsConsumer();
        consumer.config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "mp.messaging.connector.smallrye-kafka.session.timeout.ms", "20000"), "application.properties", 250)).build();
        consumer.kafka = Map.of("bootstrap.servers", "bandwatch-kafka-bootstrap:9093", "group.id", "alert-service",
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka-ca/ca.crt");
        consumer.bootstrap = "bandwatch-kafka-bootstrap:9093";
        consumer.group = "alert-service";
        consumer.offsetReset = "latest";
        consumer.maxPollRecords = 5000;

        Properties p = consumer.consumerProperties(0);

        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry("ssl.truststore.location", "/etc/kafka-ca/ca.crt")
                .containsEntry("session.timeout.ms", "20000")
                .containsEntry("bootstrap.servers", "bandwatch-kafka-bootstrap:9093")
                .containsEntry("enable.auto.commit", "false");
    }
}
