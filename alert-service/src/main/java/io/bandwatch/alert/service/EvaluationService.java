package io.bandwatch.alert.service;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.evaluation.DeviceState;
import io.bandwatch.alert.evaluation.Evaluator;
import io.bandwatch.alert.evaluation.HealthRules;
import io.bandwatch.alert.evaluation.Messages;
import io.bandwatch.alert.repository.CheckRepository;
import io.bandwatch.alert.repository.ConsumerOffsetRepository;
import io.bandwatch.alert.repository.DeviceHealthRepository;
import io.bandwatch.alert.repository.DeviceRepository;
import io.bandwatch.alert.repository.NotificationRepository;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.alert.repository.WebhookRepository;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.Event;
import io.bandwatch.events.EventType;
import io.bandwatch.events.HealthStatus;
import io.bandwatch.events.Metrics;
import io.bandwatch.events.NotificationType;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.bandwatch.platform.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Evaluates a polled batch of {@code check.results} of one partition in ONE transaction, with set-based statements:
 * the partition's stored position moves from where its consumer started to after the batch (so a batch commits
 * exactly once, and only by the partition's owner), the settings' states are updated, each transition becomes a
 * notification, an {@code alert.notifications} outbox row and a webhook delivery per active webhook, and each change
 * of a device's health a {@code devices.health} outbox row. Kafka and webhooks are reached only after commit, from
 * those tables.
 *
 * <p>The settings and states of the devices of the partition are kept in memory ({@link PartitionState}); a batch
 * reads the settings revisions of its devices' checks {@code FOR SHARE} (one statement) and reloads only the devices
 * whose checks changed since (API, inventory). Results are evaluated in offset order, exactly as one at a time:
 * a point at or before a setting's last point is ignored, so a duplicate changes nothing, and a replay of committed
 * records is not even read again (the consumer starts from the stored position).
 *
 * <p>Fields: a setting is evaluated only when its field has a value in the result. A failed iperf3 run carries
 * {@code iperf3_result = 0} and no other field, so only {@code iperf3_result} settings see it; a failed ping
 * (fping could not run) carries no metrics and is not evaluated at all (nothing is known about the device).
 *
 * <p>A result for a check not (yet) seen on {@code inventory.checks} registers the check from the result and
 * creates its default settings first, so the first results of a new check are not lost to a race between
 * the two topics.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    @Inject
    Pool pool;

    @Inject
    AlertConfig config;

    @Inject
    OutboxRelay relay;

    @Inject
    ConsumerOffsetRepository offsets;

    @Inject
    CheckRepository checks;

    @Inject
    SettingRepository settings;

    @Inject
    DeviceHealthRepository healths;

    @Inject
    DeviceRepository devices;

    @Inject
    NotificationRepository notifications;

    @Inject
    WebhookRepository webhooks;

    @Inject
    SettingsService settingsService;

    private final Counter evaluated;
    private final Counter transitions;
    private final Counter recordedAgain;

    @Inject
    public EvaluationService(MeterRegistry registry) {
        evaluated = registry.counter("bandwatch.alert.results", "outcome", "evaluated");
        transitions = registry.counter("bandwatch.alert.transitions");
        recordedAgain = registry.counter("bandwatch.alert.batches.retried", "reason", "recorded_notification");
    }

    /** Thrown inside the transaction when another consumer moved the partition's position first. */
    static final class Fenced extends RuntimeException {
        Fenced() {
            super("the partition's stored position moved: it has another owner", null, false, false);
        }
    }

    /**
     * Evaluates the results read from a partition, up to {@code nextOffset} (exclusive); true when committed, false
     * when the partition's stored position had moved (another consumer owns it now: the caller reloads it). On
     * commit the partition's kept devices and position are those of the batch.
     */
    public Uni<Boolean> evaluate(PartitionState partition, List<CheckResult> results, long nextOffset) {
        return evaluate(partition, results, nextOffset, false)
                .onFailure(EvaluationService::recordedBefore).recoverWithUni(failure -> {
                    recordedAgain.increment();
                    LOG.infof("a notification of a batch of %s-%d (up to offset %d) was recorded before (a replayed or"
                            + " duplicated result): evaluating the batch again, leaving recorded notifications out",
                            partition.topic, partition.partition, nextOffset);
                    return evaluate(partition, results, nextOffset, true);
                });
    }

    /** A unique violation of the notification's primary key: the batch raised a notification recorded before. */
    static boolean recordedBefore(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())
                    && NotificationRepository.PRIMARY_KEY.equals(pg.getConstraint())) {
                return true;
            }
        }
        return false;
    }

    /*
     * skipRecorded: the notifications are inserted with ON CONFLICT DO NOTHING. Without it (the first try) a recorded
     * id fails the statement and the transaction rolls back whole; the batch's work was on copies, so the second try
     * starts from the same kept state.
     */
    private Uni<Boolean> evaluate(PartitionState partition, List<CheckResult> results, long nextOffset,
            boolean skipRecorded) {
        Batch batch = new Batch(partition, results, skipRecorded);
        return pool.withTransaction(conn -> batch.run(conn, nextOffset))
                .ifNoItem().after(config.dbTimeout()).fail()
                .map(raised -> {
                    partition.storedOffset = nextOffset;
                    partition.devices.putAll(batch.working);
                    evaluated.increment(results.size());
                    if (raised > 0) {
                        transitions.increment(raised);
                    }
                    if (batch.published) {
                        relay.wakeUp();
                    }
                    return true;
                })
                .onFailure(Fenced.class).recoverWithItem(false);
    }

    /**
     * The state of the devices of the partitions a consumer was assigned, read once per assignment: every device known
     * to alert whose results go to one of those partitions (Kafka's default partitioner on the device id key), with its
     * checks' revisions, its settings and its stored health. The partition of a device is known only from its id's
     * murmur2 hash (not computable in SQL), so the checks' revisions (4 narrow columns) are read whole and filtered
     * here; the settings and health rows are read for the owned devices only. Not locked: each batch checks the
     * revisions again.
     */
    public Uni<Map<Integer, Map<UUID, DeviceState>>> load(Set<Integer> owned, int partitions) {
        return checks.allRevisions(pool).chain(revisions -> {
            Map<UUID, Integer> partitionOfDevice = new HashMap<>();
            Map<UUID, Map<UUID, Long>> revs = new HashMap<>();
            Map<UUID, Map<UUID, Boolean>> deleted = new HashMap<>();
            for (CheckRepository.Revision c : revisions) {
                int p = partitionOfDevice.computeIfAbsent(c.deviceId(), d -> partitionOf(d, partitions));
                if (owned.contains(p)) {
                    revs.computeIfAbsent(c.deviceId(), k -> new HashMap<>()).put(c.id(), c.revision());
                    deleted.computeIfAbsent(c.deviceId(), k -> new HashMap<>()).put(c.id(), c.deleted());
                }
            }
            Map<Integer, Map<UUID, DeviceState>> states = new HashMap<>();
            for (int p : owned) {
                states.put(p, new HashMap<>());
            }
            if (revs.isEmpty()) {
                return Uni.createFrom().item(states);
            }
            UUID[] ids = revs.keySet().toArray(UUID[]::new);
            return settings.ofDevices(pool, ids).chain(all -> healths.statuses(pool, ids).map(stored -> {
                Map<UUID, List<Setting>> byDevice = new HashMap<>();
                for (Setting s : all) {
                    byDevice.computeIfAbsent(s.deviceId(), k -> new ArrayList<>()).add(s);
                }
                for (Map.Entry<UUID, Map<UUID, Long>> e : revs.entrySet()) {
                    UUID d = e.getKey();
                    states.get(partitionOfDevice.get(d)).put(d, new DeviceState(e.getValue(), deleted.get(d),
                            byDevice.getOrDefault(d, List.of()), stored.getOrDefault(d, HealthStatus.UNKNOWN)));
                }
                return states;
            }));
        }).ifNoItem().after(config.dbTimeout()).fail();
    }

    /** The partition of a device's results: Kafka's default partitioner on the key (the device id's text). */
    static int partitionOf(UUID deviceId, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                deviceId.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** One batch's work: the devices it changes are copies until commit. */
    private final class Batch {
        final PartitionState partition;
        final List<CheckResult> results = new ArrayList<>();
        final Map<UUID, DeviceState> working = new HashMap<>();
        final Map<UUID, Setting> changedSettings = new LinkedHashMap<>();
        final List<Transition> raised = new ArrayList<>();
        final List<DeviceHealth> healthEvents = new ArrayList<>();
        /* the caller's span (the consumer's "evaluate"): the outbox rows of the batch carry it to the notification topics */
        final String traceparent = Traces.traceparent();
        final Map<UUID, DeviceHealth> lastHealth = new LinkedHashMap<>();
        boolean published;

        final boolean skipRecorded;

        Batch(PartitionState partition, List<CheckResult> all, boolean skipRecorded) {
            this.partition = partition;
            this.skipRecorded = skipRecorded;
            for (CheckResult r : all) {
                if (r.metrics().isPresent()) {
                    results.add(r);
                }
            }
        }

        /**
         * The batch's statements. Those that do not need each other's answers are sent together (the connection
         * pipelines them, in the order given: the position's row lock before the checks' share locks, as before), so
         * that a batch costs 5 round trips plus BEGIN and COMMIT: position and revisions; settings states and device
         * names; notifications; outbox, webhook deliveries and health.
         */
        Uni<Integer> run(SqlConnection conn, long nextOffset) {
            Set<UUID> deviceIds = new LinkedHashSet<>();
            for (CheckResult r : results) {
                deviceIds.add(r.deviceId());
            }
            Uni<Boolean> moved = offsets.advance(conn, partition.group, partition.topic, partition.partition,
                    partition.storedOffset, nextOffset);
            Uni<List<CheckRepository.Revision>> revisions = deviceIds.isEmpty() ? Uni.createFrom().item(List.of())
                    : checks.revisionsOfDevicesForShare(conn, deviceIds.toArray(UUID[]::new));
            return Uni.combine().all().unis(moved, revisions).asTuple().chain(both -> {
                if (!both.getItem1()) {
                    throw new Fenced();
                }
                if (results.isEmpty()) {
                    return Uni.createFrom().item(0);
                }
                return registerUnknownChecks(conn, both.getItem2())
                        .chain(found -> loadStale(conn, deviceIds, found))
                        .chain(() -> {
                            for (CheckResult r : results) {
                                evaluate(r);
                            }
                            return write(conn);
                        });
            });
        }

        /** Registers the checks of results that alert does not know (with their defaults); the checks then. */
        Uni<List<CheckRepository.Revision>> registerUnknownChecks(SqlConnection conn, List<CheckRepository.Revision> found) {
            Set<UUID> known = new java.util.HashSet<>();
            for (CheckRepository.Revision c : found) {
                known.add(c.id());
            }
            Map<UUID, CheckResult> unknown = new LinkedHashMap<>();
            for (CheckResult r : results) {
                if (!known.contains(r.checkId())) {
                    unknown.putIfAbsent(r.checkId(), r);
                }
            }
            if (unknown.isEmpty()) {
                return Uni.createFrom().item(found);
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (CheckResult r : unknown.values()) {
                LOG.debugf("result %s for check %s not seen on inventory.checks yet: creating its defaults",
                        r.eventId(), r.checkId());
                CheckRepository.CheckRef check = new CheckRepository.CheckRef(r.checkId(), r.organizationId(),
                        r.deviceId(), r.type(), false);
                chain = chain.chain(() -> checks.upsert(conn, check.id(), check.organizationId(), check.deviceId(),
                        check.type(), -1)
                        .chain(inserted -> inserted ? settingsService.createDefaults(conn, check)
                                : Uni.createFrom().voidItem()));
            }
            return chain.chain(() -> checks.revisionsOfDevicesForShare(conn, deviceIdsOf(results)));
        }

        /** Copies the kept devices whose checks did not change; loads the others. */
        Uni<Void> loadStale(SqlConnection conn, Set<UUID> deviceIds, List<CheckRepository.Revision> found) {
            Map<UUID, Map<UUID, Long>> revisions = new HashMap<>();
            Map<UUID, Map<UUID, Boolean>> deleted = new HashMap<>();
            for (UUID d : deviceIds) {
                revisions.put(d, new HashMap<>());
                deleted.put(d, new HashMap<>());
            }
            for (CheckRepository.Revision c : found) {
                revisions.get(c.deviceId()).put(c.id(), c.revision());
                deleted.get(c.deviceId()).put(c.id(), c.deleted());
            }
            List<UUID> stale = new ArrayList<>();
            for (UUID d : deviceIds) {
                DeviceState kept = partition.devices.get(d);
                if (kept != null && kept.current(revisions.get(d))) {
                    working.put(d, kept.copy());
                } else {
                    stale.add(d);
                }
            }
            if (stale.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            UUID[] ids = stale.toArray(UUID[]::new);
            return settings.ofDevices(conn, ids).chain(loaded -> healths.statuses(conn, ids).invoke(stored -> {
                Map<UUID, List<Setting>> byDevice = new HashMap<>();
                for (Setting s : loaded) {
                    byDevice.computeIfAbsent(s.deviceId(), k -> new ArrayList<>()).add(s);
                }
                for (UUID d : stale) {
                    working.put(d, new DeviceState(revisions.get(d), deleted.get(d),
                            byDevice.getOrDefault(d, List.of()), stored.getOrDefault(d, HealthStatus.UNKNOWN)));
                }
            })).replaceWithVoid();
        }

        /** One result against the active settings of its check, as {@code Evaluator} says. */
        void evaluate(CheckResult result) {
            DeviceState device = working.get(result.deviceId());
            if (device == null || !device.knows(result.checkId()) || device.deleted(result.checkId())) {
                return;
            }
            Metrics metrics = result.metrics().orElseThrow();
            boolean changed = false;
            for (Setting setting : device.activeSettingsOf(result.checkId())) {
                Double value = metrics.field(setting.field()); // not fields(): a map of every field per result
                if (value == null) {
                    continue;
                }
                Evaluator.Outcome outcome = Evaluator.evaluate(setting.operator(), setting.threshold(),
                        setting.tolerance(), setting.state(), result.finishedAt(), value);
                if (outcome.ignored()) {
                    continue;
                }
                Setting updated = setting.withState(outcome.state());
                device.put(updated);
                changedSettings.put(updated.id(), updated);
                if (outcome.transition() != null) {
                    changed = true;
                    raised.add(new Transition(setting, outcome.transition(), result, value));
                } else if (setting.state().lastPointAt() == null) {
                    changed = true; // first point: the device may leave "unknown"
                }
            }
            if (changed) {
                HealthRules.Health health = device.computeHealth();
                if (health.status() != device.health()) {
                    device.health(health.status());
                    DeviceHealth event = new DeviceHealth(result.deviceId(), result.organizationId(), health.status(),
                            result.finishedAt(), health.reason());
                    healthEvents.add(event);
                    lastHealth.put(result.deviceId(), event);
                }
            }
        }

        Uni<Integer> write(SqlConnection conn) {
            Uni<Integer> written = changedSettings.isEmpty() ? Uni.createFrom().item(0)
                    : settings.updateStates(conn, changedSettings.values());
            Set<UUID> raisedDevices = new LinkedHashSet<>();
            for (Transition t : raised) {
                raisedDevices.add(t.result.deviceId());
            }
            Uni<Map<UUID, String>> names = raisedDevices.isEmpty() ? Uni.createFrom().item(Map.of())
                    : devices.names(conn, raisedDevices.toArray(UUID[]::new));
            return Uni.combine().all().unis(written, names).asTuple().chain(both -> {
                int count = both.getItem1();
                if (count != changedSettings.size()) {
                    throw new IllegalStateException("settings changed under the batch: " + count + " of "
                            + changedSettings.size() + " written");
                }
                return raised.isEmpty() ? Uni.createFrom().item(List.<AlertNotification>of())
                        : notifications(conn, both.getItem2());
            }).chain(inserted -> {
                List<Event> events = new ArrayList<>(inserted);
                events.addAll(healthEvents);
                published = !events.isEmpty();
                List<Uni<Void>> writes = new ArrayList<>(3);
                writes.add(Outbox.appendAll(InTransaction.of(conn), events, traceparent));
                if (!inserted.isEmpty()) {
                    writes.add(webhooks.queueDeliveries(conn, inserted));
                }
                if (!lastHealth.isEmpty()) {
                    writes.add(healths.saveAll(conn, lastHealth.values()));
                }
                return Uni.combine().all().unis(writes).discardItems().replaceWith(inserted.size());
            });
        }

        /** The batch's notifications (device names for their messages); those not recorded before. */
        Uni<List<AlertNotification>> notifications(SqlConnection conn, Map<UUID, String> names) {
            List<AlertNotification> all = new ArrayList<>(raised.size());
            for (Transition t : raised) {
                all.add(notification(t.setting, t.type, t.result, t.value,
                        names.getOrDefault(t.result.deviceId(), t.result.deviceId().toString())));
            }
            return notifications.insertAll(conn, all, skipRecorded);
        }
    }

    private static UUID[] deviceIdsOf(List<CheckResult> results) {
        return results.stream().map(CheckResult::deviceId).distinct().toArray(UUID[]::new);
    }

    private record Transition(Setting setting, NotificationType type, CheckResult result, double value) {
    }

    static AlertNotification notification(Setting s, NotificationType type, CheckResult result, double value,
            String deviceName) {
        UUID id = EventType.derivedEventId(EventType.ALERT_NOTIFICATION, s.id(), type.jsonName(), result.finishedAt());
        return new AlertNotification(id, s.organizationId(), s.deviceId(), s.checkId(), s.id(), type, s.field(),
                s.operator(), s.threshold(), s.tolerance(), value, result.finishedAt(),
                Messages.message(type, deviceName, s.field(), s.operator(), s.threshold(), s.tolerance(), value));
    }
}
