package io.bandwatch.platform.messaging;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's security settings for the Kafka clients a service makes itself (the outbox relay's producer, the
 * dead-letter producer, raw consumers), as its SmallRye channels get them: from the service's Kafka client
 * configuration, Quarkus' {@code default-kafka-broker} map (every {@code kafka.*} property and {@code KAFKA_*}
 * variable; inject it with {@code @Identifier("default-kafka-broker") Map<String, Object>}). In Kubernetes that is
 * {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG} and
 * {@code KAFKA_SSL_TRUSTSTORE_*}: a client without them cannot connect there.
 */
public final class KafkaClientSecurity {

    /** The client settings that are the broker's security: protocol, SASL and TLS. */
    private static final List<String> PREFIXES = List.of("security.", "sasl.", "ssl.");

    private KafkaClientSecurity() {
    }

    /**
     * The {@code security.*}, {@code sasl.*} and {@code ssl.*} entries of the service's Kafka client settings (and
     * the name of a Quarkus TLS configuration, {@code kafka.tls-configuration-name}, which goes with the
     * {@code ssl.engine.factory.class} Quarkus sets for it); the rest (bootstrap servers, group, tuning) is the
     * caller's to choose.
     */
    public static Map<String, Object> of(Map<String, ?> kafka) {
        Map<String, Object> security = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (PREFIXES.stream().anyMatch(key::startsWith) || KafkaRuntimeConfigProducer.TLS_CONFIG_NAME_KEY.equals(key)) {
                security.put(key, value);
            }
        });
        return Map.copyOf(security);
    }
}
