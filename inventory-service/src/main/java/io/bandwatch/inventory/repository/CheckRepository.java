package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.CheckDef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Checks of devices ({@code check_def}). */
@ApplicationScoped
public class CheckRepository {

    static CheckDef check(Row r) {
        CheckDef c = new CheckDef();
        c.id = r.getUUID("id");
        c.organizationId = r.getUUID("organization_id");
        c.deviceId = r.getUUID("device_id");
        c.name = r.getString("name");
        c.type = r.getString("type");
        c.params = r.getString("params");
        c.authSecret = r.getString("auth_secret");
        c.cron = r.getString("cron");
        c.timeZone = r.getString("time_zone");
        c.intervalSeconds = r.getLong("interval_seconds");
        c.randomSlipSeconds = r.getLong("random_slip_seconds");
        c.active = r.getBoolean("active");
        c.version = r.getLong("version");
        c.createdAt = instant(r, "created_at");
        c.updatedAt = instant(r, "updated_at");
        return c;
    }

    /** The check or null. */
    public Uni<CheckDef> find(SqlClient conn, UUID id) {
        return Rows.byId(conn, "check_def", id, CheckRepository::check);
    }

    /** The check or null, locked for the rest of the transaction ({@link Rows#LOCKED}). */
    public Uni<CheckDef> findForUpdate(SqlClient conn, UUID id) {
        return Rows.byIdLocked(conn, "check_def", id, CheckRepository::check);
    }

    /** The checks of a device, locked for the rest of the transaction ({@link Rows#LOCKED}). */
    public Uni<List<CheckDef>> ofDeviceForUpdate(SqlClient conn, UUID deviceId) {
        return Rows.query(conn, "SELECT * FROM check_def WHERE device_id = $1" + Rows.LOCKED, tuple(deviceId),
                CheckRepository::check);
    }

    /** The iperf3 checks of an organization. */
    public Uni<List<CheckDef>> iperf3OfOrganization(SqlClient conn, UUID organizationId) {
        return Rows.query(conn, "SELECT * FROM check_def WHERE organization_id = $1 AND type = 'iperf3'",
                tuple(organizationId), CheckRepository::check);
    }

    public Uni<List<CheckDef>> page(SqlClient conn, Rows.Where where, String orderBy, int page, int size) {
        return Rows.page(conn, "check_def", where, orderBy, page, size, CheckRepository::check);
    }

    public Uni<Long> count(SqlClient conn, Rows.Where where) {
        return Rows.count(conn, "check_def", where);
    }

    public Uni<Long> countNamed(SqlClient conn, UUID deviceId, String name) {
        return Rows.count(conn, "SELECT count(*) FROM check_def WHERE device_id = $1 AND name = $2",
                tuple(deviceId, name));
    }

    public Uni<Void> insert(SqlClient conn, CheckDef c) {
        return Rows.update(conn, "INSERT INTO check_def (id, organization_id, device_id, name, type, params, auth_secret, "
                + "cron, time_zone, interval_seconds, random_slip_seconds, active, version, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                tuple(c.id, c.organizationId, c.deviceId, c.name, c.type, c.params, c.authSecret, c.cron, c.timeZone,
                        c.intervalSeconds, c.randomSlipSeconds, c.active, c.version, odt(c.createdAt), odt(c.updatedAt)))
                .replaceWithVoid();
    }

    /** Writes the changed check if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, CheckDef c) {
        return Rows.versioned(conn, "UPDATE check_def SET name = $1, params = $2, auth_secret = $3, cron = $4, "
                + "time_zone = $5, interval_seconds = $6, random_slip_seconds = $7, active = $8, updated_at = $9, "
                + "version = version + 1 WHERE id = $10 AND version = $11",
                tuple(c.name, c.params, c.authSecret, c.cron, c.timeZone, c.intervalSeconds, c.randomSlipSeconds,
                        c.active, odt(c.updatedAt), c.id, c.version)).invoke(() -> c.version++);
    }

    public Uni<Void> delete(SqlClient conn, UUID id) {
        return Rows.update(conn, "DELETE FROM check_def WHERE id = $1", tuple(id)).replaceWithVoid();
    }
}
