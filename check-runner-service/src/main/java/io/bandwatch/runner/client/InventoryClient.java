package io.bandwatch.runner.client;

import io.bandwatch.runner.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Secrets and host keys through inventory's internal endpoints, with a service token from
 * {@code POST /api/v1/auth/token} (cached until shortly before it expires; renewed once on a 401).
 */
@ApplicationScoped
public class InventoryClient implements SecretsSource {

    @Inject
    @RestClient
    InventoryApi api;

    @Inject
    InventoryConfig config;

    private volatile String token;
    private volatile Instant tokenExpires = Instant.EPOCH;

    private synchronized String bearer(boolean renew) throws InventoryException {
        if (!renew && token != null && Instant.now().isBefore(tokenExpires)) {
            return token;
        }
        String password = config.servicePassword()
                .orElseThrow(() -> new InventoryException("bandwatch.inventory.service-password is not set", null));
        try {
            Map<String, Object> answer = api.token(Map.of("username", config.serviceUsername(), "password", password));
            Object accessToken = answer.get("access_token");
            if (accessToken == null) {
                throw new InventoryException("inventory's token answer has no access_token", null);
            }
            Number expiresIn = answer.get("expires_in") instanceof Number n ? n : 300;
            token = "Bearer " + accessToken;
            tokenExpires = Instant.now().plusSeconds(Math.max(10, expiresIn.longValue() - 30));
            return token;
        } catch (WebApplicationException e) {
            throw new InventoryException("inventory refused the service login: HTTP " + e.getResponse().getStatus(), null);
        } catch (RuntimeException e) {
            throw new InventoryException("inventory unreachable for the service login: " + e.getMessage(), null);
        }
    }

    @Override
    public RunSecrets runSecrets(UUID checkId, UUID serverId) throws InventoryException {
        for (int attempt = 0; ; attempt++) {
            try {
                return api.runSecrets(bearer(attempt > 0), checkId, serverId);
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status == 401 && attempt == 0) {
                    continue;
                }
                throw new InventoryException("inventory answered HTTP " + status + " for the run secrets of check "
                        + checkId, null);
            } catch (RuntimeException e) {
                throw new InventoryException("inventory unreachable for the run secrets of check " + checkId + ": "
                        + e.getMessage(), null);
            }
        }
    }

    @Override
    public boolean reportHostKey(UUID deviceId, String fingerprint) throws InventoryException {
        for (int attempt = 0; ; attempt++) {
            try (Response response = api.hostKey(bearer(attempt > 0), deviceId, Map.of("fingerprint", fingerprint))) {
                int status = response.getStatus();
                if (status / 100 == 2) {
                    return true;
                }
                if (status == 409) {
                    return false;
                }
                if (status == 401 && attempt == 0) {
                    continue;
                }
                throw new InventoryException("inventory answered HTTP " + status + " to the host key of device " + deviceId, null);
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status == 409) {
                    return false;
                }
                if (status == 401 && attempt == 0) {
                    continue;
                }
                throw new InventoryException("inventory answered HTTP " + status + " to the host key of device " + deviceId, null);
            } catch (RuntimeException e) {
                throw new InventoryException("inventory unreachable to record the host key of device " + deviceId
                        + ": " + e.getMessage(), null);
            }
        }
    }
}
