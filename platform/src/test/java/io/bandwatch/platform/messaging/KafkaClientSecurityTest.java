package io.bandwatch.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Kafka clients a service makes itself connect as its channels do: the broker's security from the service's
 * configuration, as Kubernetes gives it ({@code KAFKA_*} variables, {@code deploy/k8s/base/common.yaml}).
 */
public class KafkaClientSecurityTest {

    public static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"alert-service\" password=\"not-a-real-one\";";

    /** A service's configuration in Kubernetes, read as Quarkus reads it (its default-kafka-broker map). */
    public static SmallRyeConfig kubernetesConfig() {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "bandwatch-kafka-bootstrap:9093",
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", JAAS,
                        "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-ca/ca.crt"), 300))
                .withSources(new PropertiesConfigSource(Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:9092",
                        "kafka.max.poll.records", "7",
                        "quarkus.application.name", "alert-service"), "application.properties", 250))
                .build();
    }

    public static Map<String, Object> kafka(SmallRyeConfig config) {
        ApplicationConfig application = new ApplicationConfig() {
            @Override
            public Optional<String> name() {
                return Optional.of("alert-service");
            }

            @Override
            public Optional<String> version() {
                return Optional.empty();
            }

            @Override
            public Optional<String> uiHeader() {
                return Optional.empty();
            }
        };
        return new KafkaRuntimeConfigProducer().createKafkaRuntimeConfig(config, application);
    }

    /** What a client in Kubernetes must have to connect: SCRAM over TLS against the cluster CA. */
    public static void assertConnectsAsInKubernetes(Properties client) {
        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/kafka-ca/ca.crt");
    }

    @Test
    void theSecurityOfTheServiceConfigurationAndNothingElse() {
        Map<String, Object> security = KafkaClientSecurity.of(kafka(kubernetesConfig()));

        assertThat(security).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.type", "ssl.truststore.location");
        assertThat(security).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS);
    }

    @Test
    void aQuarkusTlsConfigurationGoesWithItsEngineFactory() {
        Map<String, Object> security = KafkaClientSecurity.of(kafka(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("kafka.tls-configuration-name", "kafka",
                        "kafka.security.protocol", "SSL"), "application.properties", 250))
                .build()));

        assertThat(security).containsEntry("tls-configuration-name", "kafka")
                .containsEntry("security.protocol", "SSL")
                .containsKey("ssl.engine.factory.class");
    }

    @Test
    void theDeadLetterProducerConnectsAsTheServiceDoes() {
        Properties producer = new DeadLetterSender("bandwatch-kafka-bootstrap:9093", "alert-results-dlq",
                kafka(kubernetesConfig())).producerProperties();

        assertConnectsAsInKubernetes(producer);
        assertThat(producer).containsEntry("bootstrap.servers", "bandwatch-kafka-bootstrap:9093")
                .containsEntry("acks", "all")
                .doesNotContainKey("max.poll.records");
    }

    @Test
    void withoutSecuritySettingsTheClientIsPlain() {
        Properties producer = new DeadLetterSender("127.0.0.1:9092", "dlq", kafka(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092"),
                        "application.properties", 250))
                .build())).producerProperties();

        assertThat(producer.stringPropertyNames()).noneMatch(k -> k.startsWith("security.") || k.startsWith("sasl.")
                || k.startsWith("ssl."));
    }
}
