package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.Membership;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class MembershipRepository implements PanacheRepositoryBase<Membership, io.bandwatch.inventory.domain.Membership.Key> {
}
