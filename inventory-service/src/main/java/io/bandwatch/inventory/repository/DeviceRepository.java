package io.bandwatch.inventory.repository;

import io.bandwatch.inventory.domain.Device;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class DeviceRepository implements PanacheRepositoryBase<Device, java.util.UUID> {
}
