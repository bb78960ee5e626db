package io.bandwatch.alert.evaluation;

import io.bandwatch.alert.repository.Setting;
import io.bandwatch.events.HealthStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the evaluator keeps in memory of one device of a partition it owns: the revisions of its checks' settings
 * (to know when the copy is stale), all its settings with their states, and its health as last stored. A batch works
 * on a {@link #copy()} that replaces the kept one only after its transaction committed.
 */
public final class DeviceState {

    /** The order in which the database lists a device's settings (check id, then field): health reasons use it. */
    static final Comparator<Setting> LISTING = Comparator.<Setting, UUID>comparing(Setting::checkId, DeviceState::compareUuid)
            .thenComparing(Setting::field);

    private final Map<UUID, Long> revisions;
    private final Map<UUID, Boolean> deleted;
    private final Map<UUID, Setting> settings;
    /**
     * The active settings of each check, by field, as they are now: a {@link #put} of a new state replaces its
     * element, one that changes which settings are active drops the check's list. Kept by {@link #copy()}, so that a
     * batch does not filter and sort a device's settings again.
     */
    private final Map<UUID, List<Setting>> activeByCheck = new HashMap<>();
    private HealthStatus health;

    public DeviceState(Map<UUID, Long> revisions, Map<UUID, Boolean> deleted, Collection<Setting> settings,
            HealthStatus health) {
        this.revisions = new HashMap<>(revisions);
        this.deleted = new HashMap<>(deleted);
        this.settings = new HashMap<>();
        for (Setting s : settings) {
            this.settings.put(s.id(), s);
        }
        this.health = health;
    }

    public DeviceState copy() {
        DeviceState copy = new DeviceState(revisions, deleted, settings.values(), health);
        activeByCheck.forEach((check, active) -> copy.activeByCheck.put(check, new ArrayList<>(active)));
        return copy;
    }

    /** True when the checks (and their revisions) are those this copy was loaded with. */
    public boolean current(Map<UUID, Long> checkRevisions) {
        return revisions.equals(checkRevisions);
    }

    public boolean knows(UUID checkId) {
        return revisions.containsKey(checkId);
    }

    public boolean deleted(UUID checkId) {
        return deleted.getOrDefault(checkId, false);
    }

    /**
     * The active settings of a check, by field (the order their notifications are raised in). A view: a {@link #put}
     * of a new state while a loop runs over it replaces that element only, so the loop sees each setting as it is
     * when reached.
     */
    public List<Setting> activeSettingsOf(UUID checkId) {
        return Collections.unmodifiableList(activeByCheck.computeIfAbsent(checkId, c -> {
            List<Setting> active = new ArrayList<>();
            for (Setting s : settings.values()) {
                if (s.checkId().equals(c) && s.active()) {
                    active.add(s);
                }
            }
            active.sort(Comparator.comparing(Setting::field));
            return active;
        }));
    }

    public void put(Setting setting) {
        Setting before = settings.put(setting.id(), setting);
        if (before == null || before.active() != setting.active() || !before.field().equals(setting.field())
                || !before.checkId().equals(setting.checkId())) {
            activeByCheck.remove(setting.checkId());
            if (before != null) {
                activeByCheck.remove(before.checkId());
            }
        } else if (setting.active()) {
            List<Setting> active = activeByCheck.get(setting.checkId());
            if (active != null) {
                for (int i = 0; i < active.size(); i++) {
                    if (active.get(i).id().equals(setting.id())) {
                        active.set(i, setting);
                    }
                }
            }
        }
    }

    public HealthStatus health() {
        return health;
    }

    public void health(HealthStatus status) {
        health = status;
    }

    /** The health its settings give now. */
    public HealthRules.Health computeHealth() {
        return HealthRules.health(settings.values().stream().sorted(LISTING).map(HealthRules::view).toList());
    }

    /** PostgreSQL's order of uuids (bytes, unsigned), not {@link UUID#compareTo}'s (signed longs). */
    static int compareUuid(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
