package io.bandwatch.runner.rest;

import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.runner.config.RunnerIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The iperf3 server pool as the leases see it: who holds each server since when, and the wait queues. */
@Path("/api/v1/iperf3-servers/status")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"user", "superuser", "service"})
@Tag(name = "iperf3 servers")
@SecurityRequirement(name = "jwt")
public class PoolStatusResource {

    @Inject
    ServerRepository servers;

    @Inject
    LeaseManager leases;

    @Inject
    RunnerIdentity identity;

    @Inject
    Caller caller;

    public record ServerStatus(UUID id, String host, int port, boolean enabled, boolean leased, String holder,
            Instant since, Long fencingToken, Long leaseTtlMs) {
    }

    public record WaitStats(int waitingHere, long waits, long timeouts, double meanWaitSeconds, double maxWaitSeconds) {
    }

    public record PoolStatus(List<ServerStatus> servers, long queueLength, Map<String, Long> queues, WaitStats waits,
            String runnerId) {
    }

    @GET
    @Blocking
    @Operation(summary = "Lease holder and since of every server visible to the caller, queue lengths and waits")
    public PoolStatus status() {
        List<ServerRepository.ServerRow> rows = servers.visible(caller.readable()).await().atMost(Duration.ofSeconds(10));
        LeaseManager.PoolState state = leases.state(rows.stream().map(s -> new ServerRef(s.id(), s.host(), s.port())).toList());
        List<ServerStatus> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ServerRepository.ServerRow row = rows.get(i);
            LeaseManager.ServerState s = state.servers().get(i);
            statuses.add(new ServerStatus(row.id(), row.host(), row.port(), row.enabled(), s.leased(), s.holder(), s.since(),
                    s.fencingToken(), s.ttlMillis()));
        }
        // queues are keyed by their servers' lease ids: show only those made of servers the caller sees
        java.util.Set<String> visible = new java.util.HashSet<>();
        rows.forEach(r -> visible.add(new ServerRef(r.id(), r.host(), r.port()).leaseId().toString()));
        Map<String, Long> queues = new java.util.LinkedHashMap<>();
        state.queues().forEach((pool, length) -> {
            if (caller.readsAll() || java.util.Arrays.stream(pool.split(",")).allMatch(visible::contains)) {
                queues.put(pool, length);
            }
        });
        return new PoolStatus(statuses, queues.values().stream().mapToLong(Long::longValue).sum(), queues,
                new WaitStats(state.waitingHere(), state.waits(), state.waitTimeouts(), state.meanWaitSeconds(),
                        state.maxWaitSeconds()), identity.id());
    }
}
