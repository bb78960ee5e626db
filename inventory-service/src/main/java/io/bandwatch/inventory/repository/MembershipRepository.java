package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.Membership;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Users' roles in organizations ({@code membership}). */
@ApplicationScoped
public class MembershipRepository {

    /** A member of an organization with the user name. */
    public record Member(UUID userId, String username, String role) {
    }

    static Membership membership(Row r) {
        Membership m = new Membership();
        m.userId = r.getUUID("user_id");
        m.organizationId = r.getUUID("organization_id");
        m.role = r.getString("role");
        return m;
    }

    /** The membership or null. */
    public Uni<Membership> find(SqlClient conn, UUID userId, UUID organizationId) {
        return Rows.one(conn, "SELECT * FROM membership WHERE user_id = $1 AND organization_id = $2",
                tuple(userId, organizationId), MembershipRepository::membership);
    }

    public Uni<List<Membership>> ofUser(SqlClient conn, UUID userId) {
        return Rows.query(conn, "SELECT * FROM membership WHERE user_id = $1", tuple(userId),
                MembershipRepository::membership);
    }

    public Uni<List<Membership>> ofUsers(SqlClient conn, Collection<UUID> userIds) {
        return Rows.query(conn, "SELECT * FROM membership WHERE user_id = ANY($1)",
                tuple((Object) userIds.toArray(UUID[]::new)), MembershipRepository::membership);
    }

    /** The user's memberships in enabled organizations. */
    public Uni<List<Membership>> ofUserInEnabled(SqlClient conn, UUID userId) {
        return Rows.query(conn, "SELECT m.* FROM membership m JOIN organization o ON o.id = m.organization_id "
                + "WHERE o.enabled = true AND m.user_id = $1", tuple(userId), MembershipRepository::membership);
    }

    /** The members of an organization by user name. */
    public Uni<List<Member>> members(SqlClient conn, UUID organizationId) {
        return Rows.query(conn, "SELECT m.user_id, u.username, m.role FROM membership m JOIN app_user u ON u.id = m.user_id "
                + "WHERE m.organization_id = $1 ORDER BY u.username", tuple(organizationId),
                r -> new Member(r.getUUID("user_id"), r.getString("username"), r.getString("role")));
    }

    public Uni<Void> insert(SqlClient conn, Membership m) {
        return Rows.update(conn, "INSERT INTO membership (user_id, organization_id, role) VALUES ($1, $2, $3)",
                tuple(m.userId, m.organizationId, m.role)).replaceWithVoid();
    }

    public Uni<Void> updateRole(SqlClient conn, Membership m) {
        return Rows.update(conn, "UPDATE membership SET role = $1 WHERE user_id = $2 AND organization_id = $3",
                tuple(m.role, m.userId, m.organizationId)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient conn, UUID userId, UUID organizationId) {
        return Rows.update(conn, "DELETE FROM membership WHERE user_id = $1 AND organization_id = $2",
                tuple(userId, organizationId)).replaceWithVoid();
    }
}
