package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** The latest health of a device, as published by alert-service on {@code devices.health}. */
public class DeviceHealthState {
    public UUID deviceId;
    public UUID organizationId;
    public String status;
    public Instant changedAt;
    public String reason;
}
