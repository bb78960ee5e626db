package io.bandwatch.runner.repository;

import static io.bandwatch.runner.repository.Sql.firstTime;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.DeviceSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/** The projection of inventory's devices ({@code devices}): what a run needs to reach a device. */
@Singleton
public class DeviceRepository {

    public record DeviceRow(UUID id, UUID organizationId, String name, String address, int sshPort, String sshUser,
            String authMethod, String hostKeyFingerprint, boolean enabled) {
    }

    private final Pool pool;

    @Inject
    public DeviceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Upserts when the version is newer; idempotent by event id. */
    public Uni<Void> upsert(UUID eventId, String topic, DeviceSnapshot d) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        INSERT INTO devices (id, organization_id, name, address, ssh_port, ssh_user, auth_method,
                            host_key_fingerprint, enabled, version, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                        ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
                            address = EXCLUDED.address, ssh_port = EXCLUDED.ssh_port, ssh_user = EXCLUDED.ssh_user,
                            auth_method = EXCLUDED.auth_method, host_key_fingerprint = EXCLUDED.host_key_fingerprint,
                            enabled = EXCLUDED.enabled, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE devices.version < EXCLUDED.version""")
                        .execute(tuple(d.id(), d.organizationId(), d.name(), d.address(), d.sshPort(), d.sshUser(),
                                d.authMethod().jsonName(), d.hostKeyFingerprint(), d.enabled(), d.version(),
                                odt(d.updatedAt())))
                        .replaceWithVoid()));
    }

    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM devices WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    /** Blocking: from run threads. */
    public Optional<DeviceRow> find(UUID id) {
        for (Row r : pool.preparedQuery("SELECT * FROM devices WHERE id = $1").execute(tuple(id)).await().atMost(Sql.TIMEOUT)) {
            return Optional.of(new DeviceRow(r.getUUID("id"), r.getUUID("organization_id"), r.getString("name"),
                    r.getString("address"), r.getInteger("ssh_port"), r.getString("ssh_user"),
                    r.getString("auth_method"), r.getString("host_key_fingerprint"), r.getBoolean("enabled")));
        }
        return Optional.empty();
    }

    /** Records the fingerprint seen on first use locally (inventory's snapshot follows). Blocking. */
    public void pinHostKey(UUID deviceId, String fingerprint) {
        pool.preparedQuery("UPDATE devices SET host_key_fingerprint = $2 WHERE id = $1 AND host_key_fingerprint IS NULL")
                .execute(tuple(deviceId, fingerprint)).await().atMost(Sql.TIMEOUT);
    }

    /** The organization of a device, if known. */
    public Uni<Optional<UUID>> organizationOf(UUID deviceId) {
        return pool.preparedQuery("SELECT organization_id FROM devices WHERE id = $1").execute(tuple(deviceId))
                .map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(r.getUUID("organization_id"));
                    }
                    return Optional.<UUID>empty();
                });
    }
}
