package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.MessageLog;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class MessageLogRepository implements PanacheRepositoryBase<MessageLog, java.util.UUID> {
}
