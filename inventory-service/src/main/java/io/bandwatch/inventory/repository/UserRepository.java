package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.AppUser;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<AppUser, java.util.UUID> {
}
