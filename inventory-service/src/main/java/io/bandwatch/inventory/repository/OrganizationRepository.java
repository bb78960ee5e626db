package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.Organization;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Organizations ({@code organization}). */
@ApplicationScoped
public class OrganizationRepository {

    static Organization organization(Row r) {
        Organization o = new Organization();
        o.id = r.getUUID("id");
        o.name = r.getString("name");
        o.enabled = r.getBoolean("enabled");
        o.version = r.getLong("version");
        o.createdAt = instant(r, "created_at");
        o.updatedAt = instant(r, "updated_at");
        return o;
    }

    /** The organization or null. */
    public Uni<Organization> find(SqlClient conn, UUID id) {
        return Rows.byId(conn, "organization", id, OrganizationRepository::organization);
    }

    public Uni<List<Organization>> page(SqlClient conn, Rows.Where where, String orderBy, int page, int size) {
        return Rows.page(conn, "organization", where, orderBy, page, size, OrganizationRepository::organization);
    }

    public Uni<Long> count(SqlClient conn, Rows.Where where) {
        return Rows.count(conn, "organization", where);
    }

    public Uni<Long> countNamed(SqlClient conn, String name) {
        return Rows.count(conn, "SELECT count(*) FROM organization WHERE name = $1", tuple(name));
    }

    /** How many of these ids are organizations. */
    public Uni<Long> countExisting(SqlClient conn, Collection<UUID> ids) {
        return Rows.count(conn, "SELECT count(*) FROM organization WHERE id = ANY($1)",
                tuple((Object) ids.toArray(UUID[]::new)));
    }

    public Uni<Void> insert(SqlClient conn, Organization o) {
        return Rows.update(conn, "INSERT INTO organization (id, name, enabled, version, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6)", tuple(o.id, o.name, o.enabled, o.version, odt(o.createdAt),
                        odt(o.updatedAt))).replaceWithVoid();
    }

    /** Writes the changed organization if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, Organization o) {
        return Rows.versioned(conn, "UPDATE organization SET name = $1, enabled = $2, updated_at = $3, "
                + "version = version + 1 WHERE id = $4 AND version = $5",
                tuple(o.name, o.enabled, odt(o.updatedAt), o.id, o.version)).invoke(() -> o.version++);
    }
}
