package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.Device;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Devices ({@code device}). */
@ApplicationScoped
public class DeviceRepository {

    static Device device(Row r) {
        Device d = new Device();
        d.id = r.getUUID("id");
        d.organizationId = r.getUUID("organization_id");
        d.name = r.getString("name");
        d.address = r.getString("address");
        d.sshPort = r.getInteger("ssh_port");
        d.sshUser = r.getString("ssh_user");
        d.authMethod = r.getString("auth_method");
        d.secretCiphertext = r.getString("secret_ciphertext");
        d.hostKeyFingerprint = r.getString("host_key_fingerprint");
        d.tags = r.getString("tags");
        d.enabled = r.getBoolean("enabled");
        d.version = r.getLong("version");
        d.createdAt = instant(r, "created_at");
        d.updatedAt = instant(r, "updated_at");
        return d;
    }

    /** The device or null. */
    public Uni<Device> find(SqlClient conn, UUID id) {
        return Rows.byId(conn, "device", id, DeviceRepository::device);
    }

    /** The device or null, locked for the rest of the transaction ({@link Rows#LOCKED}). */
    public Uni<Device> findForUpdate(SqlClient conn, UUID id) {
        return Rows.byIdLocked(conn, "device", id, DeviceRepository::device);
    }

    public Uni<List<Device>> page(SqlClient conn, Rows.Where where, String orderBy, int page, int size) {
        return Rows.page(conn, "device", where, orderBy, page, size, DeviceRepository::device);
    }

    public Uni<Long> count(SqlClient conn, Rows.Where where) {
        return Rows.count(conn, "device", where);
    }

    public Uni<Long> countNamed(SqlClient conn, UUID organizationId, String name) {
        return Rows.count(conn, "SELECT count(*) FROM device WHERE organization_id = $1 AND name = $2",
                tuple(organizationId, name));
    }

    public Uni<Void> insert(SqlClient conn, Device d) {
        return Rows.update(conn, "INSERT INTO device (id, organization_id, name, address, ssh_port, ssh_user, auth_method, "
                + "secret_ciphertext, host_key_fingerprint, tags, enabled, version, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                tuple(d.id, d.organizationId, d.name, d.address, d.sshPort, d.sshUser, d.authMethod, d.secretCiphertext,
                        d.hostKeyFingerprint, d.tags, d.enabled, d.version, odt(d.createdAt), odt(d.updatedAt)))
                .replaceWithVoid();
    }

    /** Writes the changed device if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, Device d) {
        return Rows.versioned(conn, "UPDATE device SET name = $1, address = $2, ssh_port = $3, ssh_user = $4, "
                + "auth_method = $5, secret_ciphertext = $6, host_key_fingerprint = $7, tags = $8, enabled = $9, "
                + "updated_at = $10, version = version + 1 WHERE id = $11 AND version = $12",
                tuple(d.name, d.address, d.sshPort, d.sshUser, d.authMethod, d.secretCiphertext, d.hostKeyFingerprint,
                        d.tags, d.enabled, odt(d.updatedAt), d.id, d.version)).invoke(() -> d.version++);
    }

    public Uni<Void> delete(SqlClient conn, UUID id) {
        return Rows.update(conn, "DELETE FROM device WHERE id = $1", tuple(id)).replaceWithVoid();
    }
}
