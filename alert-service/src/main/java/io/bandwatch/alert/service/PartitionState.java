package io.bandwatch.alert.service;

import io.bandwatch.alert.evaluation.DeviceState;
import io.bandwatch.alert.repository.ConsumerOffsetRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One partition of {@code check.results} as its consumer owns it: the position stored in the database when the
 * partition was assigned (or last committed by this consumer), and the devices of the partition that it has seen
 * (every result of a device is on the partition of its key). Used by one consumer thread only.
 */
public final class PartitionState {

    final String group;
    final String topic;
    final int partition;
    long storedOffset;
    final Map<UUID, DeviceState> devices = new HashMap<>();

    public PartitionState(String group, String topic, int partition, long storedOffset) {
        this.group = group;
        this.topic = topic;
        this.partition = partition;
        this.storedOffset = storedOffset;
    }

    /** The next offset to read as stored with the last batch, or {@link ConsumerOffsetRepository#NONE}. */
    public long storedOffset() {
        return storedOffset;
    }

    public int partition() {
        return partition;
    }

    /** Keeps these devices (loaded on assignment). */
    public void keep(Map<UUID, DeviceState> loaded) {
        devices.putAll(loaded);
    }

    /** Forgets the kept devices (they are reloaded from the database when next needed). */
    public void forget() {
        devices.clear();
    }

    public int devicesKept() {
        return devices.size();
    }
}
