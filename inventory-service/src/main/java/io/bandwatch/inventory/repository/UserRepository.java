package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.AppUser;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Users and service accounts ({@code app_user}); user names are unique regardless of case. */
@ApplicationScoped
public class UserRepository {

    static AppUser user(Row r) {
        AppUser u = new AppUser();
        u.id = r.getUUID("id");
        u.username = r.getString("username");
        u.passwordHash = r.getString("password_hash");
        u.superuser = r.getBoolean("superuser");
        u.service = r.getBoolean("service");
        u.enabled = r.getBoolean("enabled");
        u.version = r.getLong("version");
        u.createdAt = instant(r, "created_at");
        u.updatedAt = instant(r, "updated_at");
        return u;
    }

    /** The user or null. */
    public Uni<AppUser> find(SqlClient conn, UUID id) {
        return Rows.byId(conn, "app_user", id, UserRepository::user);
    }

    /** The user of this name (any case) or null. */
    public Uni<AppUser> findByName(SqlClient conn, String username) {
        return Rows.one(conn, "SELECT * FROM app_user WHERE lower(username) = lower($1) LIMIT 1", tuple(username),
                UserRepository::user);
    }

    public Uni<Long> countNamed(SqlClient conn, String username) {
        return Rows.count(conn, "SELECT count(*) FROM app_user WHERE lower(username) = lower($1)", tuple(username));
    }

    public Uni<Long> countSuperusers(SqlClient conn) {
        return Rows.count(conn, "SELECT count(*) FROM app_user WHERE superuser = true AND service = false", tuple());
    }

    public Uni<List<AppUser>> page(SqlClient conn, Rows.Where where, String orderBy, int page, int size) {
        return Rows.page(conn, "app_user", where, orderBy, page, size, UserRepository::user);
    }

    public Uni<Long> count(SqlClient conn, Rows.Where where) {
        return Rows.count(conn, "app_user", where);
    }

    public Uni<Void> insert(SqlClient conn, AppUser u) {
        return Rows.update(conn, "INSERT INTO app_user (id, username, password_hash, superuser, service, enabled, version, "
                + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", tuple(u.id, u.username,
                        u.passwordHash, u.superuser, u.service, u.enabled, u.version, odt(u.createdAt),
                        odt(u.updatedAt))).replaceWithVoid();
    }

    /** Writes the changed user if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, AppUser u) {
        return Rows.versioned(conn, "UPDATE app_user SET password_hash = $1, superuser = $2, enabled = $3, "
                + "updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
                tuple(u.passwordHash, u.superuser, u.enabled, odt(u.updatedAt), u.id, u.version))
                .invoke(() -> u.version++);
    }

    /** Makes the user of this name (any case) a superuser with this password (bootstrap). */
    public Uni<Void> makeSuperuser(SqlClient conn, String username, String passwordHash) {
        return Rows.update(conn, "UPDATE app_user SET superuser = true, password_hash = $1 "
                + "WHERE lower(username) = lower($2)", tuple(passwordHash, username)).replaceWithVoid();
    }

    /** Makes the user of this name (any case) an enabled service account with this password (bootstrap). */
    public Uni<Void> makeServiceAccount(SqlClient conn, String username, String passwordHash) {
        return Rows.update(conn, "UPDATE app_user SET password_hash = $1, service = true, superuser = false, "
                + "enabled = true WHERE lower(username) = lower($2)",
                tuple(passwordHash, username)).replaceWithVoid();
    }
}
