package io.bandwatch.runner.client;

import java.util.UUID;

/** Where a run gets its secrets and reports a host key seen on first use (inventory-service). */
public interface SecretsSource {

    /** The secrets of one run; {@code serverId} null for ping checks. */
    RunSecrets runSecrets(UUID checkId, UUID serverId) throws InventoryException;

    /**
     * Reports the host key seen on first use. True when inventory recorded it (or had the same); false when it
     * has a different one pinned (409).
     */
    boolean reportHostKey(UUID deviceId, String fingerprint) throws InventoryException;

    /** inventory could not be asked (down, timeout, unexpected answer). */
    class InventoryException extends Exception {
        private static final long serialVersionUID = 1L;

        public InventoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
