package io.bandwatch.metrics.service;

import io.bandwatch.events.DeviceSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this service knows of devices: the latest snapshot of each from {@code inventory.devices} (read from the
 * start at every boot, kept in memory, a tombstone removes it), and, for a device whose snapshot has not arrived
 * yet, the organization named by its check results. The charts API answers 404 for a device it does not know.
 */
@ApplicationScoped
public class DeviceDirectory {

    /** A device as the charts API needs it. */
    public record Device(UUID id, UUID organizationId, String name, long version) {
    }

    private final ConcurrentHashMap<UUID, Device> devices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, UUID> organizationsFromResults = new ConcurrentHashMap<>();
    private final java.util.Set<UUID> deleted = ConcurrentHashMap.newKeySet();

    /** Applies a snapshot unless an equal or newer one was applied. */
    public void apply(DeviceSnapshot snapshot) {
        deleted.remove(snapshot.id());
        devices.merge(snapshot.id(),
                new Device(snapshot.id(), snapshot.organizationId(), snapshot.name(), snapshot.version()),
                (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    }

    /** A tombstone: the device is gone. */
    public void remove(UUID deviceId) {
        devices.remove(deviceId);
        organizationsFromResults.remove(deviceId);
        deleted.add(deviceId);
    }

    /** Remembers the organization a result names, for devices without a snapshot yet. */
    public void learnOrganization(UUID deviceId, UUID organizationId) {
        if (!devices.containsKey(deviceId) && !deleted.contains(deviceId)) {
            organizationsFromResults.putIfAbsent(deviceId, organizationId);
        }
    }

    public Optional<Device> find(UUID deviceId) {
        Device device = devices.get(deviceId);
        if (device != null) {
            return Optional.of(device);
        }
        UUID org = organizationsFromResults.get(deviceId);
        return org == null ? Optional.empty() : Optional.of(new Device(deviceId, org, deviceId.toString(), -1));
    }
}
