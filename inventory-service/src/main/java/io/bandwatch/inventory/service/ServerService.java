package io.bandwatch.inventory.service;

import io.bandwatch.events.EventType;
import io.bandwatch.events.HostNames;
import io.bandwatch.inventory.domain.Iperf3Server;
import io.bandwatch.inventory.repository.Iperf3ServerRepository;
import io.bandwatch.inventory.repository.OrganizationRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.ServerRequest;
import io.bandwatch.inventory.api.Models.ServerView;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * iperf3 servers. A server is shared by the organizations listed in {@code organization_ids}; members of any
 * of them see it (and only the ids of the organizations they belong to); changing it needs the owner role in
 * every organization it is (or will be) shared with.
 */
@ApplicationScoped
public class ServerService {

    static final Map<String, String> SORTS = Map.of("host", "host", "port", "port", "created_at", "created_at",
            "updated_at", "updated_at");

    @Inject
    Pool pool;
    @Inject
    Iperf3ServerRepository servers;
    @Inject
    OrganizationRepository organizations;
    @Inject
    SecretBox box;

    public Uni<Page<ServerView>> list(Caller caller, UUID org, Boolean enabled, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.where("1 = 1");
        Set<UUID> visible = caller.readable();
        if (visible != null) {
            if (visible.isEmpty()) {
                return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
            }
            // shared with any of the visible organizations
            filter.and("organization_ids LIKE ANY($?)",
                    visible.stream().map(o -> Support.jsonElementPattern(o.toString())).toArray(String[]::new));
        }
        filter.and("organization_ids LIKE $?", org == null ? null : Support.jsonElementPattern(org.toString()))
                .and("enabled = $?", enabled);
        String orderBy = Support.sort(sort, SORTS, "host");
        return pool.withConnection(conn -> servers.count(conn, filter).chain(total -> servers.page(conn, filter, orderBy,
                page, size)
                .map(list -> new Page<>(list.stream().map(s -> Mappers.view(s, visible)).toList(), page, size, total))));
    }

    public Uni<ServerView> get(Caller caller, UUID id) {
        return visible(caller, servers.find(pool, id)).map(s -> Mappers.view(s, caller.readable()));
    }

    private static Uni<Iperf3Server> visible(Caller caller, Uni<Iperf3Server> found) {
        return found.map(s -> {
            if (s == null || !caller.canReadAny(Mappers.orgIds(s))) {
                throw ProblemException.notFound("iperf3 server");
            }
            return s;
        });
    }

    /** The server is visible: an organization it is shared with that the caller does not own is a 403. */
    private static void requireOwnerOfShared(Caller caller, Iterable<UUID> orgs) {
        for (UUID org : orgs) {
            if (!caller.has(org, Role.OWNER)) {
                throw ProblemException.forbidden("needs role owner in every organization the server is shared with");
            }
        }
    }

    private static void requireOwnerOfAll(Caller caller, Iterable<UUID> orgs) {
        for (UUID org : orgs) {
            caller.require(org, Role.OWNER, "organization");
        }
    }

    public Uni<ServerView> create(Caller caller, ServerRequest req) {
        List<UUID> orgs = List.copyOf(new LinkedHashSet<>(req.organizationIds()));
        requireOwnerOfAll(caller, orgs);
        validate(req);
        if (req.username() != null && (req.password() == null || req.rsaPublicKey() == null)) {
            throw ProblemException.validation(req.password() == null ? "password" : "rsa_public_key", "required with username");
        }
        Iperf3Server s = new Iperf3Server();
        s.id = UUID.randomUUID();
        s.createdAt = Support.now();
        return pool.withTransaction(conn -> organizationsExist(conn, orgs)
                .chain(() -> endpointFree(conn, req.host(), port(req)))
                .chain(() -> {
                    apply(s, req, orgs);
                    s.updatedAt = s.createdAt;
                    return servers.insert(conn, s);
                })
                .chain(() -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(s)))
                .map(x -> Mappers.view(s, caller.readable())));
    }

    public Uni<ServerView> update(Caller caller, UUID id, Long ifMatch, ServerRequest req) {
        List<UUID> orgs = List.copyOf(new LinkedHashSet<>(req.organizationIds()));
        validate(req);
        return pool.withTransaction(conn -> visible(caller, servers.find(conn, id)).chain(s -> {
            requireOwnerOfShared(caller, Mappers.orgIds(s));
            requireOwnerOfAll(caller, orgs);
            Support.requireVersion(ifMatch, s.version);
            if (req.username() != null && req.password() == null && s.authPassword == null) {
                throw ProblemException.validation("password", "required with username");
            }
            if (req.username() != null && req.rsaPublicKey() == null && s.rsaPublicKey == null) {
                throw ProblemException.validation("rsa_public_key", "required with username");
            }
            boolean moved = !s.host.equals(req.host()) || s.port != port(req);
            return organizationsExist(conn, orgs)
                    .chain(() -> moved ? endpointFree(conn, req.host(), port(req)) : Uni.createFrom().voidItem())
                    .chain(() -> {
                        apply(s, req, orgs);
                        s.updatedAt = Support.now();
                        return servers.update(conn, s);
                    })
                    .chain(() -> Outbox.append(InTransaction.of(conn), Mappers.snapshot(s)))
                    .map(x -> Mappers.view(s, caller.readable()));
        }));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        // locked for the transaction (SELECT ... FOR UPDATE): a concurrent delete waits, then finds nothing (404)
        return pool.withTransaction(conn -> visible(caller, servers.findForUpdate(conn, id)).chain(s -> {
            requireOwnerOfShared(caller, Mappers.orgIds(s));
            return Outbox.tombstone(InTransaction.of(conn), EventType.IPERF3_SERVER_SNAPSHOT, s.id)
                    .chain(() -> servers.delete(conn, s.id));
        }));
    }

    private Uni<Void> organizationsExist(SqlClient conn, List<UUID> orgs) {
        return organizations.countExisting(conn, orgs).map(n -> {
            if (n != orgs.size()) {
                throw ProblemException.notFound("organization");
            }
            return null;
        });
    }

    private Uni<Void> endpointFree(SqlClient conn, String host, int port) {
        return servers.countAt(conn, host, port).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("host", "an iperf3 server " + host + ":" + port + " is already registered");
            }
            return null;
        });
    }

    private static int port(ServerRequest req) {
        return req.port() == null ? 5201 : req.port();
    }

    private static void validate(ServerRequest req) {
        if (!HostNames.isValid(req.host())) {
            throw ProblemException.validation("host", "not a host name, IPv4 or IPv6 address");
        }
        if (req.username() == null && (req.password() != null || req.rsaPublicKey() != null)) {
            throw ProblemException.validation("username", "required with password and rsa_public_key");
        }
        if (req.rsaPublicKey() != null && !CheckParams.isPublicKey(req.rsaPublicKey())) {
            throw ProblemException.validation("rsa_public_key", "must be an RSA public key (PEM, its base64 body, or OpenSSH ssh-rsa)");
        }
    }

    private void apply(Iperf3Server s, ServerRequest req, List<UUID> orgs) {
        s.host = req.host();
        s.port = port(req);
        s.enabled = req.enabled() == null || req.enabled();
        s.organizationIds = Mappers.json(orgs);
        if (req.username() == null) {
            s.authUsername = null;
            s.authPassword = null;
            s.rsaPublicKey = null;
        } else {
            s.authUsername = req.username();
            if (req.rsaPublicKey() != null) {
                s.rsaPublicKey = CheckParams.completePem(req.rsaPublicKey());
            }
            if (req.password() != null) {
                s.authPassword = box.encrypt(req.password(), "iperf3-server:" + s.id);
            }
        }
    }

    /** The decrypted iperf3 password of a server, or null. */
    public String password(Iperf3Server s) {
        return s.authPassword == null ? null : box.decrypt(s.authPassword, "iperf3-server:" + s.id);
    }
}
