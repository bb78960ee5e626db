package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.Organization;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class OrganizationRepository implements PanacheRepositoryBase<Organization, java.util.UUID> {
}
