package io.bandwatch.runner.repository;

import static io.bandwatch.runner.repository.Sql.firstTime;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.events.Iperf3ServerSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The projection of inventory's iperf3 servers ({@code iperf3_servers}): the pools runs lease from. */
@Singleton
public class ServerRepository {

    public record ServerRow(UUID id, List<UUID> organizationIds, String host, int port, boolean enabled,
            boolean authRequired) {
    }

    private final Pool pool;

    @Inject
    public ServerRepository(Pool pool) {
        this.pool = pool;
    }

    /** Upserts when the version is newer; idempotent by event id. */
    public Uni<Void> upsert(UUID eventId, String topic, Iperf3ServerSnapshot s) {
        return pool.withTransaction(conn -> firstTime(conn, eventId, topic).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        INSERT INTO iperf3_servers (id, organization_ids, host, port, enabled, auth_required, version, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        ON CONFLICT (id) DO UPDATE SET organization_ids = EXCLUDED.organization_ids, host = EXCLUDED.host,
                            port = EXCLUDED.port, enabled = EXCLUDED.enabled, auth_required = EXCLUDED.auth_required,
                            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE iperf3_servers.version < EXCLUDED.version""")
                        .execute(tuple(s.id(), s.organizationIds().toArray(new UUID[0]), s.host(), s.port(), s.enabled(),
                                s.authRequired(), s.version(), odt(s.updatedAt())))
                        .replaceWithVoid()));
    }

    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM iperf3_servers WHERE id = $1").execute(tuple(id)).replaceWithVoid();
    }

    private static ServerRow row(Row r) {
        UUID[] orgs = r.getArrayOfUUIDs("organization_ids");
        return new ServerRow(r.getUUID("id"), orgs == null ? List.of() : List.of(orgs), r.getString("host"),
                r.getInteger("port"), r.getBoolean("enabled"), r.getBoolean("auth_required"));
    }

    /** The enabled servers of an organization. Blocking: from run threads. */
    public List<ServerRow> ofOrganization(UUID organizationId) {
        List<ServerRow> servers = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM iperf3_servers WHERE enabled AND $1 = ANY(organization_ids) ORDER BY host, port, id")
                .execute(tuple(organizationId)).await().atMost(Sql.TIMEOUT).forEach(r -> servers.add(row(r)));
        return servers;
    }

    /** The servers on {@code host} that are registered for {@code organization}, enabled ones first. Blocking. */
    public List<ServerRow> byHost(String host, UUID organization) {
        List<ServerRow> servers = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM iperf3_servers WHERE host = $1 AND $2 = ANY(organization_ids) "
                + "ORDER BY enabled DESC, id")
                .execute(tuple(host, organization)).await().atMost(Sql.TIMEOUT).forEach(r -> servers.add(row(r)));
        return servers;
    }

    /** Servers visible to the given organizations (all when null). */
    public Uni<List<ServerRow>> visible(Collection<UUID> organizations) {
        String sql = organizations == null ? "SELECT * FROM iperf3_servers ORDER BY host, port, id"
                : "SELECT * FROM iperf3_servers WHERE organization_ids && $1 ORDER BY host, port, id";
        Tuple args = organizations == null ? Tuple.tuple() : tuple((Object) Sql.array(organizations));
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<ServerRow> servers = new ArrayList<>();
            rows.forEach(r -> servers.add(row(r)));
            return servers;
        });
    }

    /** Enabled servers of the given organizations (all when null). */
    public Uni<Long> countEnabled(Collection<UUID> organizations) {
        return pool.preparedQuery("SELECT count(*) AS n FROM iperf3_servers WHERE enabled"
                + (organizations == null ? "" : " AND organization_ids && $1"))
                .execute(organizations == null ? Tuple.tuple() : tuple((Object) Sql.array(organizations)))
                .map(rows -> rows.iterator().next().getLong("n"));
    }
}
