package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.Iperf3Server;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class Iperf3ServerRepository implements PanacheRepositoryBase<Iperf3Server, java.util.UUID> {
}
