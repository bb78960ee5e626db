package io.bandwatch.runner.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/**
 * Decrypted secrets for one run, from inventory's {@code GET /api/v1/internal/checks/{id}/run-secrets}. Kept
 * in memory for that run only; never logged (toString hides every secret).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSecrets(UUID deviceId, Ssh ssh, Iperf3Auth iperf3Auth) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ssh(String user, String authMethod, String privateKey, String password, String hostKeyFingerprint) {
        @Override
        public String toString() {
            return "Ssh[user=" + user + ", auth_method=" + authMethod + ", secrets=***]";
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Iperf3Auth(String username, String password, String rsaPublicKey) {
        @Override
        public String toString() {
            return "Iperf3Auth[username=" + username + ", secrets=***]";
        }
    }
}
