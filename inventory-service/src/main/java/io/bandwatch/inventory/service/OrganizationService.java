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
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Organizations (created by superusers; owners rename or disable theirs) and their memberships. */
@ApplicationScoped
public class OrganizationService {

    static final Map<String, String> SORTS = Map.of("name", "name", "created_at", "createdAt");

    @Inject
    OrganizationRepository organizations;
    @Inject
    MembershipRepository memberships;
    @Inject
    UserRepository users;
    @Inject
    Revocations revocations;

    @WithSession
    public Uni<Page<OrganizationView>> list(Caller caller, Boolean enabled, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.scopedTo(caller.readable(), "id");
        if (filter.excludesEverything()) {
            return Uni.createFrom().item(new Page<>(List.of(), page, size, 0));
        }
        filter.and("enabled = :enabled", "enabled", enabled);
        var query = organizations.find(filter.query(), Support.sort(sort, SORTS, "name"), filter.params());
        return query.count().chain(total -> query.page(page, size).list()
                .map(list -> new Page<>(list.stream().map(Mappers::view).toList(), page, size, total)));
    }

    Uni<Organization> visible(Caller caller, UUID id, Role role) {
        if (!caller.canRead(id)) {
            return Uni.createFrom().failure(ProblemException.notFound("organization"));
        }
        return organizations.findById(id).map(o -> {
            if (o == null) {
                throw ProblemException.notFound("organization");
            }
            caller.require(id, role, "organization");
            return o;
        });
    }

    @WithSession
    public Uni<OrganizationView> get(Caller caller, UUID id) {
        return visible(caller, id, Role.VIEWER).map(Mappers::view);
    }

    @WithTransaction
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
        return nameFree(req.name()).chain(() -> organizations.persist(o))
                .chain(() -> Panache.getSession().chain(s -> s.flush())).map(x -> Mappers.view(o));
    }

    @WithTransaction
    public Uni<OrganizationView> update(Caller caller, UUID id, Long ifMatch, OrganizationRequest req) {
        return visible(caller, id, Role.OWNER).chain(o -> {
            Support.requireVersion(ifMatch, o.version);
            Uni<Void> names = o.name.equals(req.name()) ? Uni.createFrom().voidItem() : nameFree(req.name());
            return names.chain(() -> {
                boolean disabled = o.enabled && req.enabled() != null && !req.enabled();
                o.name = req.name();
                o.enabled = req.enabled() == null || req.enabled();
                o.updatedAt = Support.now();
                Uni<Void> revoke = disabled ? revocations.organization(o.id, "organization_disabled")
                        : Uni.createFrom().voidItem();
                return revoke.chain(() -> Panache.getSession().chain(s -> s.flush()));
            }).map(x -> Mappers.view(o));
        });
    }

    private Uni<Void> nameFree(String name) {
        return organizations.count("name", name).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("name", "an organization named '" + name + "' already exists");
            }
            return null;
        });
    }

    @WithSession
    public Uni<List<MemberView>> members(Caller caller, UUID org) {
        return visible(caller, org, Role.OWNER).chain(o -> memberships.find(
                "select m.userId, u.username, m.role from Membership m, AppUser u where u.id = m.userId "
                        + "and m.organizationId = ?1 order by u.username", org)
                .project(Object[].class).list())
                .map(rows -> rows.stream().map(r -> new MemberView((UUID) r[0], (String) r[1], (String) r[2])).toList());
    }

    /**
     * Adds a user to the organization or changes the role. An owner may add only users who already share one of the
     * owner's organizations (or create new users); any other user id, a superuser's included, is 404 like an unknown
     * one, so the call is no oracle for user ids. A superuser adds anyone anywhere.
     */
    @WithTransaction
    public Uni<MemberView> putMember(Caller caller, UUID org, UUID userId, String role) {
        return visible(caller, org, Role.OWNER).chain(o -> users.findById(userId)).chain(u -> {
            if (u == null || u.service || (u.superuser && !caller.superuser())) {
                throw ProblemException.notFound("user");
            }
            Uni<Void> known = caller.superuser() ? Uni.createFrom().voidItem()
                    : memberships.list("userId", userId).map(ms -> {
                        if (ms.stream().noneMatch(m -> caller.canRead(m.organizationId))) {
                            throw ProblemException.notFound("user");
                        }
                        return null;
                    });
            return known.chain(() -> memberships.findById(new Membership.Key(userId, org))).chain(m -> {
                if (m == null) {
                    Membership created = new Membership();
                    created.userId = userId;
                    created.organizationId = org;
                    created.role = role;
                    return memberships.persist(created).replaceWithVoid();
                }
                if (m.role.equals(role)) {
                    return Uni.createFrom().voidItem();
                }
                m.role = role;
                // the old role stays in the user's tokens: they lose the organization until the next sign-in
                return revocations.membership(userId, org, "role_changed");
            }).map(x -> new MemberView(userId, u.username, role));
        });
    }

    @WithTransaction
    public Uni<Void> deleteMember(Caller caller, UUID org, UUID userId) {
        return visible(caller, org, Role.OWNER).chain(o -> memberships.findById(new Membership.Key(userId, org)))
                .chain(m -> {
                    if (m == null) {
                        throw ProblemException.notFound("member");
                    }
                    // by query, not remove(m): see CheckService.delete
                    return memberships.delete("userId = ?1 and organizationId = ?2", userId, org)
                            .chain(() -> revocations.membership(userId, org, "membership_removed"));
                });
    }
}
