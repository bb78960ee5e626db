package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.CheckDef;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class CheckRepository implements PanacheRepositoryBase<CheckDef, java.util.UUID> {
}
