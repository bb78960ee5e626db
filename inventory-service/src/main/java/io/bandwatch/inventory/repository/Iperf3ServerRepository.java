package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.Iperf3Server;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** iperf3 servers ({@code iperf3_server}). */
@ApplicationScoped
public class Iperf3ServerRepository {

    static Iperf3Server server(Row r) {
        Iperf3Server s = new Iperf3Server();
        s.id = r.getUUID("id");
        s.host = r.getString("host");
        s.port = r.getInteger("port");
        s.enabled = r.getBoolean("enabled");
        s.authUsername = r.getString("auth_username");
        s.authPassword = r.getString("auth_password");
        s.rsaPublicKey = r.getString("rsa_public_key");
        s.organizationIds = r.getString("organization_ids");
        s.version = r.getLong("version");
        s.createdAt = instant(r, "created_at");
        s.updatedAt = instant(r, "updated_at");
        return s;
    }

    /** The server or null. */
    public Uni<Iperf3Server> find(SqlClient conn, UUID id) {
        return Rows.byId(conn, "iperf3_server", id, Iperf3ServerRepository::server);
    }

    /** The server or null, locked for the rest of the transaction ({@link Rows#LOCKED}). */
    public Uni<Iperf3Server> findForUpdate(SqlClient conn, UUID id) {
        return Rows.byIdLocked(conn, "iperf3_server", id, Iperf3ServerRepository::server);
    }

    public Uni<List<Iperf3Server>> page(SqlClient conn, Rows.Where where, String orderBy, int page, int size) {
        return Rows.page(conn, "iperf3_server", where, orderBy, page, size, Iperf3ServerRepository::server);
    }

    public Uni<Long> count(SqlClient conn, Rows.Where where) {
        return Rows.count(conn, "iperf3_server", where);
    }

    public Uni<Long> countAt(SqlClient conn, String host, int port) {
        return Rows.count(conn, "SELECT count(*) FROM iperf3_server WHERE host = $1 AND port = $2", tuple(host, port));
    }

    /** Which of these hosts have a server whose organization list matches the LIKE pattern. */
    public Uni<List<String>> hostsAmong(SqlClient conn, Collection<String> hosts, String organizationPattern) {
        return Rows.query(conn, "SELECT host FROM iperf3_server WHERE host = ANY($1) AND organization_ids LIKE $2",
                tuple(hosts.toArray(String[]::new), organizationPattern), r -> r.getString("host"));
    }

    public Uni<Void> insert(SqlClient conn, Iperf3Server s) {
        return Rows.update(conn, "INSERT INTO iperf3_server (id, host, port, enabled, auth_username, auth_password, "
                + "rsa_public_key, organization_ids, version, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                tuple(s.id, s.host, s.port, s.enabled, s.authUsername, s.authPassword, s.rsaPublicKey, s.organizationIds,
                        s.version, odt(s.createdAt), odt(s.updatedAt))).replaceWithVoid();
    }

    /** Writes the changed server if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, Iperf3Server s) {
        return Rows.versioned(conn, "UPDATE iperf3_server SET host = $1, port = $2, enabled = $3, auth_username = $4, "
                + "auth_password = $5, rsa_public_key = $6, organization_ids = $7, updated_at = $8, "
                + "version = version + 1 WHERE id = $9 AND version = $10",
                tuple(s.host, s.port, s.enabled, s.authUsername, s.authPassword, s.rsaPublicKey, s.organizationIds,
                        odt(s.updatedAt), s.id, s.version)).invoke(() -> s.version++);
    }

    public Uni<Void> delete(SqlClient conn, UUID id) {
        return Rows.update(conn, "DELETE FROM iperf3_server WHERE id = $1", tuple(id)).replaceWithVoid();
    }
}
