package io.bandwatch.alert.service;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.evaluation.Evaluator;
import io.bandwatch.alert.evaluation.Messages;
import io.bandwatch.alert.evaluation.SettingState;
import io.bandwatch.alert.repository.AlertStore;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.EventType;
import io.bandwatch.events.Metrics;
import io.bandwatch.events.NotificationType;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.messaging.MessageLog;
import io.bandwatch.platform.outbox.Outbox;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Evaluates one {@code check.results} event against the active settings of its check, in ONE transaction:
 * the event id goes to {@code message_log} (a second delivery changes nothing), the settings' states are
 * updated, each transition becomes a notification, an {@code alert.notifications} outbox row and a webhook
 * delivery per active webhook, and a changed device health a {@code devices.health} outbox row. Kafka and
 * webhooks are reached only after commit, from those tables.
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

    private final Counter evaluated;
    private final Counter duplicates;
    private final Counter transitions;

    @Inject
    public EvaluationService(MeterRegistry registry) {
        evaluated = registry.counter("bandwatch.alert.results", "outcome", "evaluated");
        duplicates = registry.counter("bandwatch.alert.results", "outcome", "duplicate");
        transitions = registry.counter("bandwatch.alert.transitions");
    }

    /** Processes a result; the notifications it raised (empty for a duplicate or when nothing changed). */
    public Uni<List<AlertNotification>> process(UUID eventId, String topic, CheckResult result) {
        return pool.withTransaction(conn -> MessageLog.firstTime(InTransaction.of(conn), eventId, topic).chain(first -> {
            if (!first) {
                duplicates.increment();
                return Uni.createFrom().item(List.<AlertNotification>of());
            }
            evaluated.increment();
            return evaluate(conn, result);
        })).ifNoItem().after(config.dbTimeout()).fail()
                .invoke(raised -> {
                    if (!raised.isEmpty()) {
                        transitions.increment(raised.size());
                        relay.wakeUp();
                    }
                });
    }

    private Uni<List<AlertNotification>> evaluate(SqlConnection conn, CheckResult result) {
        Optional<Metrics> metrics = result.metrics();
        if (metrics.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, Double> fields = metrics.get().fields();
        return ensureCheck(conn, result)
                .chain(() -> AlertStore.activeSettingsOfCheckForUpdate(conn, result.checkId()))
                .chain(settings -> AlertStore.deviceName(conn, result.deviceId()).chain(name -> {
                    String deviceName = name.orElse(result.deviceId().toString());
                    List<AlertNotification> raised = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    boolean changed = false;
                    for (Setting setting : settings) {
                        Double value = fields.get(setting.field());
                        if (value == null) {
                            continue;
                        }
                        Evaluator.Outcome outcome = Evaluator.evaluate(setting.operator(), setting.threshold(),
                                setting.tolerance(), setting.state(), result.finishedAt(), value);
                        if (outcome.ignored()) {
                            continue;
                        }
                        SettingState state = outcome.state();
                        chain = chain.chain(() -> AlertStore.updateState(conn, setting.id(), state));
                        if (outcome.transition() != null) {
                            changed = true;
                            AlertNotification n = notification(setting, outcome.transition(), result, value, deviceName);
                            raised.add(n);
                            chain = chain.chain(() -> AlertStore.insertNotification(conn, n))
                                    .chain(inserted -> inserted ? Outbox.append(InTransaction.of(conn), n)
                                            .chain(() -> AlertStore.queueDeliveries(conn, n.organizationId(), n.eventId()))
                                            : Uni.createFrom().voidItem());
                        } else if (setting.state().lastPointAt() == null) {
                            changed = true; // first point: the device may leave "unknown"
                        }
                    }
                    if (changed) {
                        chain = chain.chain(() -> HealthUpdater.recompute(conn, result.deviceId(),
                                result.organizationId(), result.finishedAt()).replaceWithVoid());
                    }
                    return chain.replaceWith(raised);
                }));
    }

    private static Uni<Void> ensureCheck(SqlConnection conn, CheckResult result) {
        return AlertStore.check(conn, result.checkId()).chain(known -> {
            if (known.isPresent()) {
                return Uni.createFrom().voidItem();
            }
            LOG.debugf("result %s for check %s not seen on inventory.checks yet: creating its defaults",
                    result.eventId(), result.checkId());
            AlertStore.CheckRef check = new AlertStore.CheckRef(result.checkId(), result.organizationId(),
                    result.deviceId(), result.type(), false);
            return AlertStore.upsertCheck(conn, check.id(), check.organizationId(), check.deviceId(), check.type(), -1)
                    .chain(() -> AlertStore.createDefaultSettings(conn, check));
        });
    }

    static AlertNotification notification(Setting s, NotificationType type, CheckResult result, double value,
            String deviceName) {
        UUID id = EventType.derivedEventId(EventType.ALERT_NOTIFICATION, s.id(), type.jsonName(), result.finishedAt());
        return new AlertNotification(id, s.organizationId(), s.deviceId(), s.checkId(), s.id(), type, s.field(),
                s.operator(), s.threshold(), s.tolerance(), value, result.finishedAt(),
                Messages.message(type, deviceName, s.field(), s.operator(), s.threshold(), s.tolerance(), value));
    }
}
