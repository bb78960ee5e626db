package io.bandwatch.runner.lease;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * An iperf3 server as the lease manager sees it. The lease is keyed by the server's address ({@link #leaseId()}), not
 * by its inventory id: an iperf3 server port runs one test at a time whoever registered it, so two organizations that
 * each registered the same host and port still wait for each other.
 */
public record ServerRef(UUID id, String host, int port) {

    /** The key of this server's lease and fencing counter: a name-based UUID of host (case-blind) and port. */
    public UUID leaseId() {
        return UUID.nameUUIDFromBytes(("iperf3-server:" + host.toLowerCase(Locale.ROOT) + ":" + port)
                .getBytes(StandardCharsets.UTF_8));
    }
}
