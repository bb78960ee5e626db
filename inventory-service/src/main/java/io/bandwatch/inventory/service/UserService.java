package io.bandwatch.inventory.service;

import io.bandwatch.inventory.domain.AppUser;
import io.bandwatch.inventory.domain.Membership;
import io.bandwatch.inventory.repository.MembershipRepository;
import io.bandwatch.inventory.repository.OrganizationRepository;
import io.bandwatch.inventory.repository.UserRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.MembershipBody;
import io.bandwatch.inventory.api.Models.Page;
import io.bandwatch.inventory.api.Models.UserCreate;
import io.bandwatch.inventory.api.Models.UserUpdate;
import io.bandwatch.inventory.api.Models.UserView;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.inventory.security.Passwords;
import io.bandwatch.platform.security.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Users. Superusers manage everyone; an owner sees the users of the organizations they own and manages a
 * user whose memberships are all in organizations they own (never a superuser).
 */
@ApplicationScoped
public class UserService {

    static final Map<String, String> SORTS = Map.of("username", "username", "created_at", "created_at");

    @Inject
    Pool pool;
    @Inject
    UserRepository users;
    @Inject
    MembershipRepository memberships;
    @Inject
    OrganizationRepository organizations;
    @Inject
    Vertx vertx;
    @Inject
    Revocations revocations;

    private static Set<UUID> owned(Caller caller) {
        return caller.roles().entrySet().stream().filter(e -> e.getValue() == Role.OWNER).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    public Uni<Page<UserView>> list(Caller caller, UUID org, int page, int size, String sort) {
        QueryFilter filter = QueryFilter.where("service = false");
        if (!caller.superuser()) {
            Set<UUID> owned = owned(caller);
            if (owned.isEmpty()) {
                throw ProblemException.forbidden("only owners and superusers list users");
            }
            filter.and("id IN (SELECT m.user_id FROM membership m WHERE m.organization_id = ANY($?))",
                    owned.toArray(UUID[]::new));
        }
        filter.and("id IN (SELECT m.user_id FROM membership m WHERE m.organization_id = $?)", org);
        String orderBy = Support.sort(sort, SORTS, "username");
        return pool.withConnection(conn -> users.count(conn, filter).chain(total -> users.page(conn, filter, orderBy,
                page, size).chain(list -> views(conn, list).map(views -> new Page<>(views, page, size, total)))));
    }

    private Uni<List<UserView>> views(SqlClient conn, List<AppUser> list) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return memberships.ofUsers(conn, list.stream().map(u -> u.id).toList()).map(ms -> {
            Map<UUID, List<MembershipBody>> byUser = ms.stream().collect(Collectors.groupingBy(m -> m.userId,
                    Collectors.mapping(m -> new MembershipBody(m.organizationId, m.role), Collectors.toList())));
            return list.stream().map(u -> view(u, byUser.getOrDefault(u.id, List.of()))).toList();
        });
    }

    private static UserView view(AppUser u, List<MembershipBody> ms) {
        return new UserView(u.id, u.username, u.superuser, u.service, u.enabled, ms, u.version, u.createdAt, u.updatedAt);
    }

    /** The user and its memberships when visible (shares an organization with the caller); 404 otherwise. */
    private Uni<Map.Entry<AppUser, List<Membership>>> visible(SqlClient conn, Caller caller, UUID id) {
        return users.find(conn, id).chain(u -> {
            if (u == null || (u.service && !caller.superuser())) {
                throw ProblemException.notFound("user");
            }
            return memberships.ofUser(conn, id).map(ms -> {
                if (!caller.superuser() && ms.stream().noneMatch(m -> caller.canRead(m.organizationId))) {
                    throw ProblemException.notFound("user");
                }
                return Map.entry(u, ms);
            });
        });
    }

    private static void requireManage(Caller caller, AppUser u, List<Membership> ms) {
        if (caller.superuser()) {
            return;
        }
        Set<UUID> owned = owned(caller);
        if (u.superuser || ms.isEmpty() || !ms.stream().allMatch(m -> owned.contains(m.organizationId))) {
            throw ProblemException.forbidden("needs role owner in every organization of the user");
        }
    }

    public Uni<UserView> get(Caller caller, UUID id) {
        return pool.withConnection(conn -> visible(conn, caller, id)).map(e -> {
            if (!caller.superuser() && e.getValue().stream().noneMatch(m -> caller.has(m.organizationId, Role.OWNER))) {
                throw ProblemException.forbidden("needs role owner");
            }
            // only the memberships of organizations the caller sees: the others are not the caller's to learn
            return view(e.getKey(), e.getValue().stream().filter(m -> caller.superuser() || caller.canRead(m.organizationId))
                    .map(m -> new MembershipBody(m.organizationId, m.role)).toList());
        });
    }

    public Uni<UserView> create(Caller caller, UserCreate req) {
        List<MembershipBody> ms = req.memberships() == null ? List.of() : req.memberships();
        if (!caller.superuser()) {
            if (ms.isEmpty()) {
                throw ProblemException.validation("memberships", "an owner creates users with memberships in their organizations");
            }
            if (Boolean.TRUE.equals(req.superuser())) {
                throw ProblemException.forbidden("only a superuser creates superusers");
            }
            ms.forEach(m -> caller.require(m.organizationId(), Role.OWNER, "organization"));
        }
        AppUser u = new AppUser();
        u.id = UUID.randomUUID();
        u.username = req.username();
        u.superuser = Boolean.TRUE.equals(req.superuser());
        u.enabled = true;
        u.createdAt = Support.now();
        u.updatedAt = u.createdAt;
        List<UUID> orgIds = ms.stream().map(MembershipBody::organizationId).distinct().toList();
        return pool.withTransaction(conn -> create(conn, u, req, ms, orgIds));
    }

    private Uni<UserView> create(SqlClient conn, AppUser u, UserCreate req, List<MembershipBody> ms, List<UUID> orgIds) {
        Uni<Void> orgsExist = orgIds.isEmpty() ? Uni.createFrom().voidItem()
                : organizations.countExisting(conn, orgIds).map(n -> {
                    if (n != orgIds.size()) {
                        throw ProblemException.notFound("organization");
                    }
                    return null;
                });
        return orgsExist.chain(() -> users.countNamed(conn, req.username())).map(n -> {
            if (n > 0) {
                throw ProblemException.conflict("username", "the user name is taken (user names are unique regardless of case)");
            }
            return n;
        }).chain(() -> vertx.executeBlocking(() -> Passwords.hash(req.password()))).chain(hash -> {
            u.passwordHash = hash;
            return users.insert(conn, u);
        }).chain(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (UUID org : orgIds) {
                MembershipBody m = ms.stream().filter(x -> x.organizationId().equals(org)).findFirst().orElseThrow();
                Membership row = new Membership();
                row.userId = u.id;
                row.organizationId = org;
                row.role = m.role();
                chain = chain.chain(() -> memberships.insert(conn, row));
            }
            return chain;
        }).map(x -> view(u, ms.stream().filter(m -> orgIds.contains(m.organizationId())).distinct().toList()));
    }

    public Uni<UserView> update(Caller caller, UUID id, Long ifMatch, UserUpdate req) {
        return pool.withTransaction(conn -> visible(conn, caller, id).chain(e -> {
            AppUser u = e.getKey();
            requireManage(caller, u, e.getValue());
            Support.requireVersion(ifMatch, u.version);
            if (req.superuser() != null && req.superuser() != u.superuser && !caller.superuser()) {
                throw ProblemException.forbidden("only a superuser grants or removes the superuser flag");
            }
            Uni<String> hash = req.password() == null ? Uni.createFrom().item(u.passwordHash)
                    : vertx.executeBlocking(() -> Passwords.hash(req.password()));
            return hash.chain(h -> {
                // access ends at once (every service, within the revocation delay) for the user's older tokens
                String revoked = req.password() != null ? "password_changed"
                        : Boolean.FALSE.equals(req.enabled()) && u.enabled ? "user_disabled"
                        : req.superuser() != null && req.superuser() != u.superuser ? "superuser_changed" : null;
                u.passwordHash = h;
                if (req.enabled() != null) {
                    u.enabled = req.enabled();
                }
                if (req.superuser() != null) {
                    u.superuser = req.superuser();
                }
                u.updatedAt = Support.now();
                Uni<Void> revoke = revoked == null ? Uni.createFrom().voidItem() : revocations.user(conn, u.id, revoked);
                return revoke.chain(() -> users.update(conn, u));
            }).map(x -> view(u, e.getValue().stream().map(m -> new MembershipBody(m.organizationId, m.role)).toList()));
        }));
    }
}
