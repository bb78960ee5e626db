package io.bandwatch.alert.repository;

import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.alert.evaluation.DefaultSetting;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An organization's own default settings per check type (when it has any, they replace the built-in ones). */
@ApplicationScoped
public class OrganizationDefaultRepository {

    public Uni<List<DefaultSetting>> ofOrganization(SqlClient conn, UUID org) {
        return conn.preparedQuery("SELECT * FROM organization_default WHERE organization_id = $1 "
                + "ORDER BY check_type, field").execute(tuple(org))
                .map(rs -> {
                    List<DefaultSetting> list = new ArrayList<>();
                    for (Row r : rs) {
                        list.add(new DefaultSetting(Rows.checkType(r.getString("check_type")), r.getString("field"),
                                Rows.operator(r.getString("operator")), r.getDouble("threshold"),
                                Duration.ofSeconds(r.getLong("tolerance_seconds")), r.getBoolean("active")));
                    }
                    return list;
                });
    }

    public Uni<Void> replace(SqlClient conn, UUID org, List<DefaultSetting> defaults) {
        Uni<Void> chain = conn.preparedQuery("DELETE FROM organization_default WHERE organization_id = $1")
                .execute(tuple(org)).replaceWithVoid();
        for (DefaultSetting d : defaults) {
            chain = chain.chain(() -> conn.preparedQuery("INSERT INTO organization_default (organization_id, "
                    + "check_type, field, operator, threshold, tolerance_seconds, active) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .execute(tuple(org, d.checkType().jsonName(), d.field(), d.operator().symbol(), d.threshold(),
                            d.tolerance().getSeconds(), d.active()))
                    .replaceWithVoid());
        }
        return chain;
    }
}
