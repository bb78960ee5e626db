package io.bandwatch.runner.lease;

import java.util.UUID;

/** An iperf3 server as the lease manager sees it: the lease is keyed by its id. */
public record ServerRef(UUID id, String host, int port) {
}
