package io.bandwatch.inventory.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.events.EventType;
import io.bandwatch.events.HostNames;
import io.bandwatch.inventory.config.InventoryConfig;
import io.bandwatch.inventory.domain.CheckDef;
import io.bandwatch.inventory.domain.Device;
import io.bandwatch.inventory.repository.CheckRepository;
import io.bandwatch.inventory.repository.DeviceHealthRepository;
import io.bandwatch.inventory.repository.DeviceRepository;
import io.bandwatch.inventory.repository.OrganizationRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.DeviceRequest;
import io.bandwatch.inventory.api.Models.DeviceView;
import io.bandwatch.inventory.api.Models.Page;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Devices: CRUD with encrypted secrets, default checks, snapshots through the outbox. */
@ApplicationScoped
public class DeviceService {

    static final Map<String, String> SORTS = Map.of("name", "name", "created_at", "created_at", "updated_at", "updated_at",
            "address", "address");
    static final Set<String> HEALTH = Set.of("ok", "problem", "critical", "unknown");

    @Inject
    Pool pool;
    @Inject
    DeviceRepository devices;
    @Inject
    CheckRepository checks;
    @Inject
    DeviceHealthRepository health;
    @Inject
    OrganizationRepository organizations;
    @Inject
    SecretBox box;
    @Inject
    InventoryConfig config;
    @Inject
    CheckService checkService;

    /**
     * Devices the caller sees, filtered by organization, tag, health, enabled, {@code q} (text in the name or
     * address, case-insensitive; PostgreSQL's LIKE escapes with a backslash by default) and {@code ids} (only these
     * devices; null or empty: no such filter).
     */
    public Uni<Page<DeviceView>> list(Caller caller, UUID org, String tag, String healthFilter, Boolean enabled,
            String q, List<UUID> ids, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.scopedTo(caller.readable(), "organization_id");
        if (filter.excludesEverything()) {
            return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
        }
        filter.and("organization_id = $?", org)
                .and("tags LIKE $?", tag == null ? null : Support.jsonElementPattern(tag));
        if (healthFilter != null) {
            if (!HEALTH.contains(healthFilter)) {
                throw ProblemException.validation("health", "must be one of " + HEALTH);
            }
            if (healthFilter.equals("unknown")) {
                filter.and("id NOT IN (SELECT h.device_id FROM device_health h WHERE h.status <> 'unknown')");
            } else {
                filter.and("id IN (SELECT h.device_id FROM device_health h WHERE h.status = $?)", healthFilter);
            }
        }
        filter.and("enabled = $?", enabled);
        if (q != null && !q.isBlank()) {
            filter.and("(lower(name) LIKE $? OR lower(address) LIKE $?)",
                    "%" + q.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                            .replace("_", "\\_") + "%");
        }
        if (ids != null && !ids.isEmpty()) {
            filter.and("id = ANY($?)", ids.toArray(UUID[]::new));
        }
        String orderBy = Support.sort(sort, SORTS, "name");
        return pool.withConnection(conn -> devices.count(conn, filter).chain(total -> devices.page(conn, filter, orderBy,
                page, size).chain(list -> healthOf(conn, list).map(h -> new Page<>(list.stream()
                        .map(d -> Mappers.view(d, h.get(d.id))).toList(), page, size, total)))));
    }

    private Uni<Map<UUID, String>> healthOf(SqlClient conn, List<Device> list) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return health.ofDevices(conn, list.stream().map(d -> d.id).toList())
                .map(rows -> rows.stream().collect(Collectors.toMap(r -> r.deviceId, r -> r.status)));
    }

    public Uni<DeviceView> get(Caller caller, UUID id) {
        return pool.withConnection(conn -> visible(conn, caller, id, Role.VIEWER).chain(d -> view(conn, d)));
    }

    Uni<DeviceView> view(SqlClient conn, Device d) {
        return health.find(conn, d.id).map(h -> Mappers.view(d, h == null ? null : h.status));
    }

    /** The device when the caller may see it with at least the role; 404 when it does not exist or is foreign. */
    Uni<Device> visible(SqlClient conn, Caller caller, UUID id, Role role) {
        return visible(caller, devices.find(conn, id), role);
    }

    private static Uni<Device> visible(Caller caller, Uni<Device> found, Role role) {
        return found.map(d -> {
            if (d == null || !caller.canRead(d.organizationId)) {
                throw ProblemException.notFound("device");
            }
            caller.require(d.organizationId, role, "device");
            return d;
        });
    }

    public Uni<DeviceView> create(Caller caller, DeviceRequest req) {
        caller.require(req.organizationId(), Role.OWNER, "organization");
        validate(req);
        if (req.privateKey() == null && req.password() == null) {
            throw ProblemException.validation("private_key", "one of private_key and password is required");
        }
        Device d = new Device();
        d.id = UUID.randomUUID();
        d.organizationId = req.organizationId();
        apply(d, req);
        d.createdAt = Support.now();
        d.updatedAt = d.createdAt;
        boolean defaults = req.createDefaultChecks() == null || req.createDefaultChecks();
        return pool.withTransaction(conn -> organizations.find(conn, req.organizationId())
                .map(o -> {
                    if (o == null) {
                        throw ProblemException.notFound("organization");
                    }
                    return o;
                })
                .chain(() -> nameFree(conn, d.organizationId, d.name))
                .chain(() -> devices.insert(conn, d))
                .chain(() -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(d)))
                .chain(() -> defaults ? defaultChecks(conn, d) : Uni.createFrom().voidItem())
                .chain(() -> view(conn, d)));
    }

    private Uni<Void> defaultChecks(SqlClient conn, Device d) {
        CheckDef ping = checkService.newCheck(d, "ping", "ping", JsonNodeFactory.instance.objectNode(),
                null, null, null, config.checks().defaultPingInterval().toSeconds(), 0);
        ObjectNode empty = JsonNodeFactory.instance.objectNode();
        CheckDef iperf3 = checkService.newCheck(d, "iperf3", "iperf3", empty, null, config.checks().defaultIperf3Cron(),
                config.checks().defaultIperf3TimeZone(), null, config.checks().defaultIperf3RandomSlip().toSeconds());
        return checkService.persistNew(conn, ping).chain(() -> checkService.persistNew(conn, iperf3));
    }

    public Uni<DeviceView> update(Caller caller, UUID id, Long ifMatch, DeviceRequest req) {
        validate(req);
        return pool.withTransaction(conn -> visible(conn, caller, id, Role.OWNER).chain(d -> {
            if (!d.organizationId.equals(req.organizationId())) {
                throw ProblemException.validation("organization_id", "a device cannot move to another organization");
            }
            Support.requireVersion(ifMatch, d.version);
            Uni<Void> names = d.name.equals(req.name()) ? Uni.createFrom().voidItem()
                    : nameFree(conn, d.organizationId, req.name());
            return names.chain(() -> {
                apply(d, req);
                d.updatedAt = Support.now();
                return devices.update(conn, d);
            }).chain(() -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(d))).chain(() -> view(conn, d));
        }));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        // the device, then its checks, locked for the transaction (SELECT ... FOR UPDATE): a concurrent delete of
        // the device or of one of its checks waits, then finds nothing, instead of failing on rows deleted under it
        return pool.withTransaction(conn -> visible(caller, devices.findForUpdate(conn, id), Role.OWNER)
                .chain(d -> checks.ofDeviceForUpdate(conn, d.id)
                .chain(list -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (CheckDef c : list) {
                        chain = chain.chain(() -> Outbox.tombstone(InTransaction.of(conn), EventType.CHECK_SNAPSHOT, c.id))
                                .chain(() -> checks.delete(conn, c.id));
                    }
                    return chain;
                })
                .chain(() -> Outbox.tombstone(InTransaction.of(conn), EventType.DEVICE_SNAPSHOT, d.id))
                .chain(() -> health.delete(conn, d.id))
                .chain(() -> devices.delete(conn, d.id))));
    }

    /** Records the host key on first use; 409 when another one is pinned. Returns true when it changed. */
    public Uni<Boolean> recordHostKey(UUID id, String fingerprint) {
        return pool.withTransaction(conn -> devices.find(conn, id).chain(d -> {
            if (d == null) {
                throw ProblemException.notFound("device");
            }
            if (fingerprint.equals(d.hostKeyFingerprint)) {
                return Uni.createFrom().item(false);
            }
            if (d.hostKeyFingerprint != null) {
                throw ProblemException.conflict("fingerprint", "a different host key is pinned for this device");
            }
            d.hostKeyFingerprint = fingerprint;
            d.updatedAt = Support.now();
            return devices.update(conn, d)
                    .chain(() -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(d))).replaceWith(true);
        }));
    }

    private Uni<Void> nameFree(SqlClient conn, UUID org, String name) {
        return devices.countNamed(conn, org, name).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("name", "a device named '" + name + "' already exists in the organization");
            }
            return null;
        });
    }

    private static void validate(DeviceRequest req) {
        if (!HostNames.isValid(req.address())) {
            throw ProblemException.validation("address", "not a host name, IPv4 or IPv6 address");
        }
        if (req.privateKey() != null && req.password() != null) {
            throw ProblemException.validation("password", "give either private_key or password, not both");
        }
        if (req.privateKey() != null && !SshKeys.isPrivateKey(req.privateKey())) {
            throw ProblemException.validation("private_key", "not a PEM or OpenSSH private key (RSA or ed25519)");
        }
    }

    private void apply(Device d, DeviceRequest req) {
        d.name = req.name();
        d.address = req.address();
        d.sshPort = req.sshPort() == null ? 22 : req.sshPort();
        d.sshUser = req.sshUser();
        if (req.hostKeyFingerprint() != null) {
            d.hostKeyFingerprint = req.hostKeyFingerprint();
        }
        d.tags = Mappers.json(req.tags() == null ? List.of() : req.tags().stream().distinct().toList());
        d.enabled = req.enabled() == null || req.enabled();
        if (req.privateKey() != null || req.password() != null) {
            ObjectNode secret = JsonNodeFactory.instance.objectNode();
            secret.put("private_key", req.privateKey());
            secret.put("password", req.password());
            d.authMethod = req.privateKey() != null ? "key" : "password";
            d.secretCiphertext = box.encrypt(secret.toString(), "device:" + d.id);
        }
    }

    /** The decrypted SSH secret of a device: {@code private_key} or {@code password}. */
    public ObjectNode secret(Device d) {
        return (ObjectNode) Mappers.tree(box.decrypt(d.secretCiphertext, "device:" + d.id));
    }
}
