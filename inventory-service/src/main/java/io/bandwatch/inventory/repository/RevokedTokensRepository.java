package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.RevokedTokens;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class RevokedTokensRepository implements PanacheRepositoryBase<RevokedTokens, UUID> {
}
