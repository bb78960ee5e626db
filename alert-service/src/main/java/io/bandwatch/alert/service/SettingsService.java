package io.bandwatch.alert.service;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.alert.evaluation.AlertStatus;
import io.bandwatch.alert.evaluation.DefaultSetting;
import io.bandwatch.alert.evaluation.SettingState;
import io.bandwatch.alert.repository.CheckRepository;
import io.bandwatch.alert.repository.OrganizationDefaultRepository;
import io.bandwatch.alert.repository.SettingRepository;
import io.bandwatch.alert.repository.Setting;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.Metrics;
import io.bandwatch.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Writes to alert settings and organization defaults, each in one transaction that also recomputes the
 * device's health (and queues a {@code devices.health} event when it changed).
 *
 * <p>Changing a setting's operator or threshold, or its tolerance, restarts its run of crossing points (the
 * next points are judged by the new rule); a setting in problem stays in problem until a point that does not
 * cross. Deactivating a setting puts it back to ok silently (no recovery notification): an inactive setting
 * is not watched.
 */
@ApplicationScoped
public class SettingsService {

    public static final Duration MAX_TOLERANCE = Duration.ofDays(7);

    @Inject
    Pool pool;

    @Inject
    AlertConfig config;

    @Inject
    OutboxRelay relay;

    @Inject
    CheckRepository checks;

    @Inject
    SettingRepository settings;

    @Inject
    OrganizationDefaultRepository defaults;

    @Inject
    HealthUpdater health;

    public static void validate(String field, Double threshold, Duration tolerance) {
        if (threshold == null || !Double.isFinite(threshold)) {
            throw ProblemException.validation("threshold", "threshold must be a finite number");
        }
        if (tolerance == null || tolerance.isNegative() || tolerance.compareTo(MAX_TOLERANCE) > 0) {
            throw ProblemException.validation("tolerance", "tolerance must be between PT0S and P7D");
        }
        if (tolerance.getNano() != 0) {
            throw ProblemException.validation("tolerance", "tolerance must be whole seconds");
        }
    }

    public Uni<Setting> create(UUID checkId, String field, AlertOperator operator, double threshold, Duration tolerance,
            boolean active, Predicate<UUID> mayWrite, Predicate<UUID> mayRead) {
        return pool.withTransaction(conn -> checks.find(conn, checkId).chain(found -> {
            if (found.isEmpty() || found.get().deleted() || !mayRead.test(found.get().organizationId())) {
                throw ProblemException.notFound("check " + checkId);
            }
            CheckRepository.CheckRef check = found.get();
            if (!mayWrite.test(check.organizationId())) {
                throw ProblemException.forbidden("operators and owners of the organization manage alert settings");
            }
            if (!Metrics.fieldNames(check.type()).contains(field)) {
                throw ProblemException.validation("field", "'" + field + "' is not a field of a " + check.type().jsonName()
                        + " check; one of " + Metrics.fieldNames(check.type()));
            }
            Setting s = new Setting(UUID.randomUUID(), check.organizationId(), check.deviceId(), check.id(), check.type(),
                    field, operator, threshold, tolerance, active, SettingState.INITIAL, null, null);
            return checks.touch(conn, checkId).chain(() -> settings.insert(conn, s)).chain(inserted -> {
                if (!inserted) {
                    throw ProblemException.conflict("field", "check " + checkId + " already has a setting for " + field);
                }
                return settings.find(conn, s.id(), false).map(o -> o.orElseThrow());
            });
        })).ifNoItem().after(config.dbTimeout()).fail();
    }

    public Uni<Setting> update(UUID id, AlertOperator operator, double threshold, Duration tolerance, boolean active,
            Predicate<UUID> mayWrite, Predicate<UUID> mayRead) {
        // the check's revision first (its row lock before the setting's, as the evaluator takes them)
        return pool.withTransaction(conn -> checks.touchOfSetting(conn, id).chain(() -> settings.find(conn, id, true)).chain(found -> {
            if (found.isEmpty() || !mayRead.test(found.get().organizationId())) {
                throw ProblemException.notFound("alert setting " + id);
            }
            Setting old = found.get();
            if (!mayWrite.test(old.organizationId())) {
                throw ProblemException.forbidden("operators and owners of the organization manage alert settings");
            }
            boolean ruleChanged = old.operator() != operator || old.threshold() != threshold
                    || !old.tolerance().equals(tolerance);
            SettingState st = old.state();
            if (!active) {
                st = new SettingState(AlertStatus.OK, null, 0, st.lastPointAt(), st.lastValue());
            } else if (ruleChanged || !old.active()) {
                st = new SettingState(st.status(), null, 0, st.lastPointAt(), st.lastValue());
            }
            Setting updated = new Setting(old.id(), old.organizationId(), old.deviceId(), old.checkId(), old.checkType(),
                    old.field(), operator, threshold, tolerance, active, st, old.createdAt(), old.updatedAt());
            return settings.update(conn, updated)
                    .chain(() -> health.recompute(conn, old.deviceId(), old.organizationId(), Instant.now()))
                    .chain(() -> settings.find(conn, id, false).map(o -> o.orElseThrow()));
        })).ifNoItem().after(config.dbTimeout()).fail().invoke(relay::wakeUp);
    }

    public Uni<Void> delete(UUID id, Predicate<UUID> mayWrite, Predicate<UUID> mayRead) {
        // the check's revision first (its row lock before the setting's, as the evaluator takes them)
        return pool.withTransaction(conn -> checks.touchOfSetting(conn, id).chain(() -> settings.find(conn, id, true)).chain(found -> {
            if (found.isEmpty() || !mayRead.test(found.get().organizationId())) {
                throw ProblemException.notFound("alert setting " + id);
            }
            Setting old = found.get();
            if (!mayWrite.test(old.organizationId())) {
                throw ProblemException.forbidden("operators and owners of the organization manage alert settings");
            }
            return settings.delete(conn, id)
                    .chain(() -> health.recompute(conn, old.deviceId(), old.organizationId(), Instant.now()))
                    .replaceWithVoid();
        })).ifNoItem().after(config.dbTimeout()).fail().invoke(relay::wakeUp);
    }

    public Uni<Void> replaceDefaults(UUID org, List<DefaultSetting> list) {
        return pool.withTransaction(conn -> defaults.replace(conn, org, list))
                .ifNoItem().after(config.dbTimeout()).fail();
    }

    /** The organization's defaults (empty: the built-in ones apply). */
    public Uni<List<DefaultSetting>> defaults(UUID org) {
        return defaults.ofOrganization(pool, org).ifNoItem().after(config.dbTimeout()).fail();
    }

    /**
     * Creates the default settings of a check in the caller's transaction: the organization's for its type if it has
     * any, else the built-in ones; idempotent (per field).
     */
    public Uni<Void> createDefaults(SqlConnection conn, CheckRepository.CheckRef check) {
        return defaults.ofOrganization(conn, check.organizationId()).chain(orgDefaults -> {
            List<DefaultSetting> ofType = orgDefaults.stream().filter(d -> d.checkType() == check.type()).toList();
            return settings.insertDefaults(conn, check, ofType.isEmpty() ? DefaultSetting.builtIn(check.type()) : ofType);
        });
    }
}
