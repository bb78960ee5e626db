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
import io.bandwatch.platform.messaging.PanacheTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
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

    static final Map<String, String> SORTS = Map.of("host", "host", "port", "port", "created_at", "createdAt",
            "updated_at", "updatedAt");

    @Inject
    Iperf3ServerRepository servers;
    @Inject
    OrganizationRepository organizations;
    @Inject
    SecretBox box;

    @WithSession
    public Uni<Page<ServerView>> list(Caller caller, UUID org, Boolean enabled, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.where("1 = 1");
        Set<UUID> visible = caller.readable();
        if (visible != null) {
            if (visible.isEmpty()) {
                return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
            }
            List<String> ors = new ArrayList<>();
            int i = 0;
            for (UUID o : visible) {
                ors.add("organizationIds like :o" + i);
                filter.param("o" + i, Support.jsonElementPattern(o.toString()));
                i++;
            }
            filter.and("(" + String.join(" or ", ors) + ")");
        }
        filter.and("organizationIds like :org", "org", org == null ? null : Support.jsonElementPattern(org.toString()))
                .and("enabled = :enabled", "enabled", enabled);
        var query = servers.find(filter.query(), Support.sort(sort, SORTS, "host"), filter.params());
        return query.count().chain(total -> query.page(page, size).list()
                .map(list -> new Page<>(list.stream().map(s -> Mappers.view(s, visible)).toList(), page, size, total)));
    }

    @WithSession
    public Uni<ServerView> get(Caller caller, UUID id) {
        return visible(caller, id).map(s -> Mappers.view(s, caller.readable()));
    }

    Uni<Iperf3Server> visible(Caller caller, UUID id) {
        return visible(caller, servers.findById(id));
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

    @WithTransaction
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
        return organizationsExist(orgs)
                .chain(() -> endpointFree(req.host(), port(req)))
                .chain(() -> {
                    apply(s, req, orgs);
                    s.updatedAt = s.createdAt;
                    return servers.persist(s);
                })
                .chain(() -> Panache.getSession().chain(x -> x.flush()))
                .chain(() -> Outbox.append(PanacheTransaction.current(), Mappers.snapshot(s)))
                .map(x -> Mappers.view(s, caller.readable()));
    }

    @WithTransaction
    public Uni<ServerView> update(Caller caller, UUID id, Long ifMatch, ServerRequest req) {
        List<UUID> orgs = List.copyOf(new LinkedHashSet<>(req.organizationIds()));
        validate(req);
        return visible(caller, id).chain(s -> {
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
            return organizationsExist(orgs)
                    .chain(() -> moved ? endpointFree(req.host(), port(req)) : Uni.createFrom().voidItem())
                    .chain(() -> {
                        apply(s, req, orgs);
                        s.updatedAt = Support.now();
                        return Panache.getSession().chain(x -> x.flush());
                    })
                    .chain(() -> Outbox.append(PanacheTransaction.current(), Mappers.snapshot(s)))
                    .map(x -> Mappers.view(s, caller.readable()));
        });
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID id) {
        // locked for the transaction: a concurrent delete waits, then finds nothing (404)
        return visible(caller, servers.findById(id, LockModeType.PESSIMISTIC_WRITE)).chain(s -> {
            requireOwnerOfShared(caller, Mappers.orgIds(s));
            return Outbox.tombstone(PanacheTransaction.current(), EventType.IPERF3_SERVER_SNAPSHOT, s.id)
                    .chain(() -> servers.delete("id", s.id)).replaceWithVoid(); // by query: see CheckService.delete
        });
    }

    private Uni<Void> organizationsExist(List<UUID> orgs) {
        return organizations.count("id in ?1", orgs).map(n -> {
            if (n != orgs.size()) {
                throw ProblemException.notFound("organization");
            }
            return null;
        });
    }

    private Uni<Void> endpointFree(String host, int port) {
        return servers.count("host = ?1 and port = ?2", host, port).map(n -> {
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
