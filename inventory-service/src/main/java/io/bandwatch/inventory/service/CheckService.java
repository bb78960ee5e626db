package io.bandwatch.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.events.CheckRequest;
import io.bandwatch.events.EventType;
import io.bandwatch.events.InvalidFieldException;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Schedule;
import io.bandwatch.inventory.config.InventoryConfig;
import io.bandwatch.inventory.domain.CheckDef;
import io.bandwatch.inventory.domain.Device;
import io.bandwatch.inventory.domain.OrgIperf3Defaults;
import io.bandwatch.inventory.repository.CheckRepository;
import io.bandwatch.inventory.repository.DeviceRepository;
import io.bandwatch.inventory.repository.Iperf3ServerRepository;
import io.bandwatch.inventory.repository.OrgDefaultsRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.CheckBody;
import io.bandwatch.inventory.api.Models.CheckView;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.RunAccepted;
import io.bandwatch.inventory.api.Models.ScheduleBody;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.platform.security.Role;
import io.bandwatch.platform.security.SecretBox;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Checks: validated parameters (secret parts encrypted), schedules, snapshots with the effective options. */
@ApplicationScoped
public class CheckService {

    static final Map<String, String> SORTS = Map.of("name", "name", "type", "type", "created_at", "created_at",
            "updated_at", "updated_at");

    @Inject
    Pool pool;
    @Inject
    CheckRepository checks;
    @Inject
    DeviceRepository devices;
    @Inject
    OrgDefaultsRepository defaults;
    @Inject
    Iperf3ServerRepository servers;
    @Inject
    SecretBox box;
    @Inject
    InventoryConfig config;

    public Uni<Page<CheckView>> list(Caller caller, UUID org, UUID deviceId, String type, Boolean active, int page,
            int size, String sort) {
        QueryFilter filter = QueryFilter.scopedTo(caller.readable(), "organization_id");
        if (filter.excludesEverything()) {
            return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
        }
        if (type != null && !type.equals("iperf3") && !type.equals("ping")) {
            throw ProblemException.validation("type", "must be iperf3 or ping");
        }
        filter.and("organization_id = $?", org)
                .and("device_id = $?", deviceId)
                .and("type = $?", type)
                .and("active = $?", active);
        String orderBy = Support.sort(sort, SORTS, "name");
        return pool.withConnection(conn -> checks.count(conn, filter).chain(total -> checks.page(conn, filter, orderBy,
                page, size).chain(list -> orgConfigs(conn, list).map(cfg -> new Page<>(list.stream()
                        .map(c -> Mappers.view(c, cfg.get(c.organizationId))).toList(), page, size, total)))));
    }

    private Uni<Map<UUID, JsonNode>> orgConfigs(SqlClient conn, List<CheckDef> list) {
        List<UUID> orgs = list.stream().map(c -> c.organizationId).distinct().toList();
        if (orgs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return defaults.ofOrganizations(conn, orgs).map(rows -> {
            Map<UUID, JsonNode> m = new HashMap<>();
            rows.forEach(r -> m.put(r.organizationId, Mappers.tree(r.config)));
            return m;
        });
    }

    Uni<JsonNode> orgConfig(SqlClient conn, UUID org) {
        return defaults.find(conn, org).map(d -> d == null ? null : Mappers.tree(d.config));
    }

    public Uni<CheckView> get(Caller caller, UUID id) {
        return pool.withConnection(conn -> visible(conn, caller, id, Role.VIEWER).chain(c -> view(conn, c)));
    }

    Uni<CheckView> view(SqlClient conn, CheckDef c) {
        return orgConfig(conn, c.organizationId).map(cfg -> Mappers.view(c, cfg));
    }

    Uni<CheckDef> visible(SqlClient conn, Caller caller, UUID id, Role role) {
        return visible(caller, checks.find(conn, id), role);
    }

    /**
     * The check locked for the rest of the transaction ({@code SELECT … FOR UPDATE}): a concurrent delete of it
     * waits here and then finds nothing (404), instead of failing on the row deleted under it.
     */
    Uni<CheckDef> lockedVisible(SqlClient conn, Caller caller, UUID id, Role role) {
        return visible(caller, checks.findForUpdate(conn, id), role);
    }

    private static Uni<CheckDef> visible(Caller caller, Uni<CheckDef> found, Role role) {
        return found.map(c -> {
            if (c == null || !caller.canRead(c.organizationId)) {
                throw ProblemException.notFound("check");
            }
            caller.require(c.organizationId, role, "check");
            return c;
        });
    }

    public Uni<CheckView> create(Caller caller, CheckBody body) {
        return pool.withTransaction(conn -> devices.find(conn, body.deviceId()).chain(d -> {
            if (d == null || !caller.canRead(d.organizationId)) {
                throw ProblemException.notFound("device");
            }
            caller.require(d.organizationId, Role.OPERATOR, "device");
            Validated v = validate(body, null);
            String name = body.name() == null ? body.type() : body.name();
            CheckDef c = newCheck(d, name, body.type(), v.publicParams, v.secret, v.schedule.cron(), v.schedule.timeZone(),
                    v.schedule.interval() == null ? null : v.schedule.interval().toSeconds(),
                    v.schedule.randomSlip().toSeconds());
            c.active = body.active() == null || body.active();
            return serversRegistered(conn, d.organizationId, body).chain(() -> nameFree(conn, d.id, name))
                    .chain(() -> persistNew(conn, c)).chain(() -> view(conn, c));
        }));
    }

    /** A new check of a device (not persisted); secret parts are encrypted here. */
    CheckDef newCheck(Device d, String name, String type, ObjectNode publicParams, ObjectNode secret, String cron,
            String timeZone, Long intervalSeconds, long slipSeconds) {
        CheckDef c = new CheckDef();
        c.id = UUID.randomUUID();
        c.organizationId = d.organizationId;
        c.deviceId = d.id;
        c.name = name;
        c.type = type;
        c.params = publicParams.toString();
        c.authSecret = secret == null ? null : box.encrypt(secret.toString(), "check:" + c.id);
        c.cron = cron;
        c.timeZone = timeZone == null ? Schedule.DEFAULT_TIME_ZONE : timeZone;
        c.intervalSeconds = intervalSeconds;
        c.randomSlipSeconds = slipSeconds;
        c.active = true;
        c.createdAt = Support.now();
        c.updatedAt = c.createdAt;
        return c;
    }

    Uni<Void> persistNew(SqlClient conn, CheckDef c) {
        return checks.insert(conn, c).chain(() -> publish(conn, c));
    }

    Uni<Void> publish(SqlClient conn, CheckDef c) {
        return orgConfig(conn, c.organizationId)
                .chain(cfg -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(c, cfg)));
    }

    public Uni<CheckView> update(Caller caller, UUID id, Long ifMatch, CheckBody body) {
        return pool.withTransaction(conn -> visible(conn, caller, id, Role.OPERATOR).chain(c -> {
            if (!c.deviceId.equals(body.deviceId())) {
                throw ProblemException.validation("device_id", "a check cannot move to another device");
            }
            if (!c.type.equals(body.type())) {
                throw ProblemException.validation("type", "the type of a check cannot change");
            }
            Support.requireVersion(ifMatch, c.version);
            Validated v = validate(body, c);
            String name = body.name() == null ? c.name : body.name();
            Uni<Void> names = name.equals(c.name) ? Uni.createFrom().voidItem() : nameFree(conn, c.deviceId, name);
            return serversRegistered(conn, c.organizationId, body).chain(() -> names).chain(() -> {
                c.name = name;
                c.params = v.publicParams.toString();
                if (v.secret != null) {
                    c.authSecret = box.encrypt(v.secret.toString(), "check:" + c.id);
                } else if (!v.keepSecret) {
                    c.authSecret = null;
                }
                c.cron = v.schedule.cron();
                c.timeZone = v.schedule.timeZone();
                c.intervalSeconds = v.schedule.interval() == null ? null : v.schedule.interval().toSeconds();
                c.randomSlipSeconds = v.schedule.randomSlip().toSeconds();
                c.active = body.active() == null || body.active();
                c.updatedAt = Support.now();
                return checks.update(conn, c);
            }).chain(() -> publish(conn, c)).chain(() -> view(conn, c));
        }));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        // the row locked for the transaction (SELECT ... FOR UPDATE): a concurrent delete waits, then finds nothing (404)
        return pool.withTransaction(conn -> lockedVisible(conn, caller, id, Role.OPERATOR)
                .chain(c -> Outbox.tombstone(InTransaction.of(conn), EventType.CHECK_SNAPSHOT, c.id)
                        .chain(() -> checks.delete(conn, c.id))));
    }

    public Uni<RunAccepted> run(Caller caller, UUID id) {
        return pool.withTransaction(conn -> visible(conn, caller, id, Role.OPERATOR).chain(c -> {
            if (!c.active) {
                throw ProblemException.conflict("active", "the check is not active");
            }
            CheckRequest request = new CheckRequest(UUID.randomUUID(), c.id, c.deviceId, c.organizationId, caller.name(),
                    Support.now());
            return Outbox.append(InTransaction.of(conn), request)
                    .replaceWith(new RunAccepted(request.eventId(), c.id, c.deviceId));
        }));
    }

    /** Re-publishes every iperf3 check of an organization (its configuration changed their effective options). */
    Uni<Void> republishIperf3(SqlClient conn, UUID org) {
        return checks.iperf3OfOrganization(conn, org).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (CheckDef c : list) {
                chain = chain.chain(() -> {
                    c.updatedAt = Support.now();
                    return checks.update(conn, c);
                }).chain(() -> publish(conn, c));
            }
            return chain;
        });
    }

    /**
     * An iperf3 check's {@code host} entries must each name a host with an iperf3 server of the check's organization
     * (the runner matches servers only within the organization): 400 on {@code params.host} naming the hosts.
     */
    private Uni<Void> serversRegistered(SqlClient conn, UUID org, CheckBody body) {
        JsonNode hosts = body.type().equals("iperf3") && body.params() != null ? body.params().get("host") : null;
        if (hosts == null || !hosts.isArray() || hosts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> named = new LinkedHashSet<>();
        hosts.forEach(h -> named.add(h.asText()));
        return servers.hostsAmong(conn, named, Support.jsonElementPattern(org.toString()))
                .map(found -> {
                    named.removeAll(found);
                    if (!named.isEmpty()) {
                        throw ProblemException.validation("params.host", "no iperf3 server of the check's organization "
                                + "on " + String.join(", ", named.stream().map(h -> "'" + h + "'").toList())
                                + ": register the server (POST /api/v1/iperf3-servers) first");
                    }
                    return null;
                });
    }

    private Uni<Void> nameFree(SqlClient conn, UUID device, String name) {
        return checks.countNamed(conn, device, name).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("name", "the device already has a check named '" + name + "'");
            }
            return null;
        });
    }

    /**
     * A check body checked against the records of {@code events}: the public parameters to store, the secret ones
     * to encrypt (iperf3), and the records the check will be published with.
     *
     * @param options    the check's own iperf3 options ({@code params} without the organization's), null for ping
     * @param keepSecret an update that leaves the stored secret as it is
     */
    private record Validated(ObjectNode publicParams, ObjectNode secret, boolean keepSecret, Iperf3Options options,
            Schedule schedule) {
    }

    private Validated validate(CheckBody body, CheckDef existing) {
        JsonNode params = body.params() == null || body.params().isNull() ? JsonNodeFactory.instance.objectNode()
                : body.params();
        if (!body.type().equals("iperf3")) {
            CheckParams.ping(params, "params");
            return new Validated((ObjectNode) params, null, false, null, schedule(body.schedule(), body.type(), existing));
        }
        JsonNode toValidate = params;
        boolean keep = false;
        if (existing != null && existing.authSecret != null && params.isObject() && params.has("username")
                && !params.has("password") && !params.has("rsa_public_key")) {
            // write-only secrets: an update may leave them out to keep the stored ones
            ObjectNode merged = ((ObjectNode) params).deepCopy();
            merged.setAll((ObjectNode) secret(existing));
            toValidate = merged;
            keep = true;
        }
        Iperf3Options options = CheckParams.iperf3(toValidate, "params");
        return new Validated(CheckParams.publicPart(params), CheckParams.secretPart(params), keep, options,
                schedule(body.schedule(), body.type(), existing));
    }

    private Schedule schedule(ScheduleBody s, String type, CheckDef existing) {
        if (s == null) {
            if (existing != null) {
                return Mappers.schedule(existing);
            }
            return type.equals("ping") ? Schedule.ofInterval(config.checks().defaultPingInterval())
                    : Schedule.ofCron(config.checks().defaultIperf3Cron(), config.checks().defaultIperf3TimeZone())
                            .withRandomSlip(config.checks().defaultIperf3RandomSlip());
        }
        Schedule schedule;
        try {
            schedule = new Schedule(s.cron(), s.timeZone(), s.interval(), s.randomSlip());
        } catch (InvalidFieldException e) {
            throw ProblemException.invalidField(e);
        }
        // stored in whole seconds
        if (schedule.interval() != null && schedule.interval().getNano() != 0) {
            throw ProblemException.validation("schedule.interval", "must be whole seconds");
        }
        if (schedule.randomSlip().getNano() != 0) {
            throw ProblemException.validation("schedule.random_slip", "must be whole seconds");
        }
        return schedule;
    }

    /** The decrypted check secret ({@code password}, {@code rsa_public_key}) or null. */
    JsonNode secret(CheckDef c) {
        return c.authSecret == null ? null : Mappers.tree(box.decrypt(c.authSecret, "check:" + c.id));
    }

    JsonNode secret(OrgIperf3Defaults d) {
        return d == null || d.authSecret == null ? null
                : Mappers.tree(box.decrypt(d.authSecret, "iperf3-defaults:" + d.organizationId));
    }
}
