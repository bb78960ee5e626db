package io.bandwatch.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.platform.messaging.KafkaClientSecurityTest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The outbox relay's producer connects as the service's channels do (SASL_SSL in Kubernetes). */
class OutboxRelaySecurityTest {

    @Test
    void theRelayProducerHasTheBrokersSecurity() {
        SmallRyeConfig config = KafkaClientSecurityTest.kubernetesConfig();
        OutboxConfig outbox = new io.smallrye.config.SmallRyeConfigBuilder().withMapping(OutboxConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build().getConfigMapping(OutboxConfig.class);
        OutboxRelay relay = new OutboxRelay(null, outbox, "alert-service-outbox-relay", "/bandwatch/alert-service",
                "bandwatch-kafka-bootstrap:9093", KafkaClientSecurityTest.kafka(config));

        Properties producer = relay.producerProperties("bandwatch-kafka-bootstrap:9093");

        KafkaClientSecurityTest.assertConnectsAsInKubernetes(producer);
        assertThat(producer).containsEntry("bootstrap.servers", "bandwatch-kafka-bootstrap:9093")
                .containsEntry("client.id", "alert-service-outbox-relay")
                .containsEntry("delivery.timeout.ms", 10_000)
                .doesNotContainKey("max.poll.records");
    }
}
