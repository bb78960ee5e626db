package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.OrgIperf3Defaults;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class OrgDefaultsRepository implements PanacheRepositoryBase<OrgIperf3Defaults, java.util.UUID> {
}
