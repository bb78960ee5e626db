package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The latest health of a device, as published by alert-service on {@code devices.health}. */
@Entity
@Table(name = "device_health")
public class DeviceHealthState {
    @Id
    @Column(name = "device_id")
    public UUID deviceId;
    @Column(name = "organization_id")
    public UUID organizationId;
    public String status;
    @Column(name = "changed_at")
    public Instant changedAt;
    public String reason;
}
