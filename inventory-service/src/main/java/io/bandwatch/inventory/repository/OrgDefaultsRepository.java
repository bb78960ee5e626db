package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.OrgIperf3Defaults;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Organizations' iperf3 configurations ({@code organization_iperf3_defaults}). */
@ApplicationScoped
public class OrgDefaultsRepository {

    static OrgIperf3Defaults defaults(Row r) {
        OrgIperf3Defaults d = new OrgIperf3Defaults();
        d.organizationId = r.getUUID("organization_id");
        d.config = r.getString("config");
        d.authSecret = r.getString("auth_secret");
        d.version = r.getLong("version");
        d.updatedAt = instant(r, "updated_at");
        return d;
    }

    /** The organization's configuration or null. */
    public Uni<OrgIperf3Defaults> find(SqlClient conn, UUID organizationId) {
        return Rows.one(conn, "SELECT * FROM organization_iperf3_defaults WHERE organization_id = $1",
                tuple(organizationId), OrgDefaultsRepository::defaults);
    }

    public Uni<List<OrgIperf3Defaults>> ofOrganizations(SqlClient conn, Collection<UUID> organizationIds) {
        return Rows.query(conn, "SELECT * FROM organization_iperf3_defaults WHERE organization_id = ANY($1)",
                tuple((Object) organizationIds.toArray(UUID[]::new)), OrgDefaultsRepository::defaults);
    }

    public Uni<Void> insert(SqlClient conn, OrgIperf3Defaults d) {
        return Rows.update(conn, "INSERT INTO organization_iperf3_defaults (organization_id, config, auth_secret, version, "
                + "updated_at) VALUES ($1, $2, $3, $4, $5)",
                tuple(d.organizationId, d.config, d.authSecret, d.version, odt(d.updatedAt))).replaceWithVoid();
    }

    /** Writes the changed configuration if it is still at the version read, which it then advances. */
    public Uni<Void> update(SqlClient conn, OrgIperf3Defaults d) {
        return Rows.versioned(conn, "UPDATE organization_iperf3_defaults SET config = $1, auth_secret = $2, "
                + "updated_at = $3, version = version + 1 WHERE organization_id = $4 AND version = $5",
                tuple(d.config, d.authSecret, odt(d.updatedAt), d.organizationId, d.version)).invoke(() -> d.version++);
    }
}
