package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.DeviceHealthState;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class DeviceHealthRepository implements PanacheRepositoryBase<DeviceHealthState, java.util.UUID> {
}
