package io.bandwatch.inventory.service;

import io.bandwatch.inventory.domain.Membership;
import io.bandwatch.inventory.domain.Organization;
import io.bandwatch.inventory.repository.MembershipRepository;
import io.bandwatch.inventory.repository.OrganizationRepository;
import io.bandwatch.inventory.repository.UserRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.MemberView;
import io.bandwatch.inventory.api.Models.OrganizationRequest;
import io.bandwatch.inventory.api.Models.OrganizationView;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.platform.security.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Organizations (created by superusers; owners rename or disable theirs) and their memberships. */
@ApplicationScoped
public class OrganizationService {

    static final Map<String, String> SORTS = Map.of("name", "name", "created_at", "created_at");

    @Inject
    Pool pool;
    @Inject
    OrganizationRepository organizations;
    @Inject
    MembershipRepository memberships;
    @Inject
    UserRepository users;
    @Inject
    Revocations revocations;

    public Uni<Page<OrganizationView>> list(Caller caller, Boolean enabled, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.scopedTo(caller.readable(), "id");
        if (filter.excludesEverything()) {
            return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
        }
        filter.and("enabled = $?", enabled);
        String orderBy = Support.sort(sort, SORTS, "name");
        return pool.withConnection(conn -> organizations.count(conn, filter).chain(total -> organizations.page(conn,
                filter, orderBy, page, size)
                .map(list -> new Page<>(list.stream().map(Mappers::view).toList(), page, size, total))));
    }

    Uni<Organization> visible(SqlClient conn, Caller caller, UUID id, Role role) {
        if (!caller.canRead(id)) {
            return Uni.createFrom().failure(ProblemException.notFound("organization"));
        }
        return organizations.find(conn, id).map(o -> {
            if (o == null) {
                throw ProblemException.notFound("organization");
            }
            caller.require(id, role, "organization");
            return o;
        });
    }

    public Uni<OrganizationView> get(Caller caller, UUID id) {
        return visible(pool, caller, id, Role.VIEWER).map(Mappers::view);
    }

    public Uni<OrganizationView> create(Caller caller, OrganizationRequest req) {
        if (!caller.superuser()) {
            throw ProblemException.forbidden("only a superuser creates organizations");
        }
        Organization o = new Organization();
        o.id = UUID.randomUUID();
        o.name = req.name();
        o.enabled = req.enabled() == null || req.enabled();
        o.createdAt = Support.now();
        o.updatedAt = o.createdAt;
        return pool.withTransaction(conn -> nameFree(conn, req.name()).chain(() -> organizations.insert(conn, o))
                .map(x -> Mappers.view(o)));
    }

    public Uni<OrganizationView> update(Caller caller, UUID id, Long ifMatch, OrganizationRequest req) {
        return pool.withTransaction(conn -> visible(conn, caller, id, Role.OWNER).chain(o -> {
            Support.requireVersion(ifMatch, o.version);
            Uni<Void> names = o.name.equals(req.name()) ? Uni.createFrom().voidItem() : nameFree(conn, req.name());
            return names.chain(() -> {
                boolean disabled = o.enabled && req.enabled() != null && !req.enabled();
                o.name = req.name();
                o.enabled = req.enabled() == null || req.enabled();
                o.updatedAt = Support.now();
                Uni<Void> revoke = disabled ? revocations.organization(conn, o.id, "organization_disabled")
                        : Uni.createFrom().voidItem();
                return revoke.chain(() -> organizations.update(conn, o));
            }).map(x -> Mappers.view(o));
        }));
    }

    private Uni<Void> nameFree(SqlClient conn, String name) {
        return organizations.countNamed(conn, name).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("name", "an organization named '" + name + "' already exists");
            }
            return null;
        });
    }

    public Uni<List<MemberView>> members(Caller caller, UUID org) {
        return pool.withConnection(conn -> visible(conn, caller, org, Role.OWNER).chain(o -> memberships.members(conn, org))
                .map(rows -> rows.stream().map(r -> new MemberView(r.userId(), r.username(), r.role())).toList()));
    }

    /**
     * Adds a user to the organization or changes the role. An owner may add only users who already share one of the
     * owner's organizations (or create new users); any other user id, a superuser's included, is 404 like an unknown
     * one, so the call is no oracle for user ids. A superuser adds anyone anywhere.
     */
    public Uni<MemberView> putMember(Caller caller, UUID org, UUID userId, String role) {
        return pool.withTransaction(conn -> visible(conn, caller, org, Role.OWNER).chain(o -> users.find(conn, userId))
                .chain(u -> {
            if (u == null || u.service || (u.superuser && !caller.superuser())) {
                throw ProblemException.notFound("user");
            }
            Uni<Void> known = caller.superuser() ? Uni.createFrom().voidItem()
                    : memberships.ofUser(conn, userId).map(ms -> {
                        if (ms.stream().noneMatch(m -> caller.canRead(m.organizationId))) {
                            throw ProblemException.notFound("user");
                        }
                        return null;
                    });
            return known.chain(() -> memberships.find(conn, userId, org)).chain(m -> {
                if (m == null) {
                    Membership created = new Membership();
                    created.userId = userId;
                    created.organizationId = org;
                    created.role = role;
                    return memberships.insert(conn, created);
                }
                if (m.role.equals(role)) {
                    return Uni.createFrom().voidItem();
                }
                m.role = role;
                // the old role stays in the user's tokens: they lose the organization until the next sign-in
                return memberships.updateRole(conn, m)
                        .chain(() -> revocations.membership(conn, userId, org, "role_changed"));
            }).map(x -> new MemberView(userId, u.username, role));
        }));
    }

    public Uni<Void> deleteMember(Caller caller, UUID org, UUID userId) {
        return pool.withTransaction(conn -> visible(conn, caller, org, Role.OWNER)
                .chain(o -> memberships.find(conn, userId, org))
                .chain(m -> {
                    if (m == null) {
                        throw ProblemException.notFound("member");
                    }
                    return memberships.delete(conn, userId, org)
                            .chain(() -> revocations.membership(conn, userId, org, "membership_removed"));
                }));
    }
}
