package io.bandwatch.inventory.repository;

import static io.bandwatch.platform.sql.SqlValues.instant;
import static io.bandwatch.platform.sql.SqlValues.odt;
import static io.bandwatch.platform.sql.SqlValues.tuple;

import io.bandwatch.inventory.domain.RevokedTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** The last not-before of each revocation key ({@code token_revocation}). */
@ApplicationScoped
public class RevokedTokensRepository {

    /** Inserts or replaces the row of the revocation key. */
    public Uni<Void> save(SqlClient conn, RevokedTokens row) {
        return Rows.update(conn, "INSERT INTO token_revocation (subject_key, user_id, organization_id, not_before, reason) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_key) DO UPDATE SET user_id = EXCLUDED.user_id, "
                + "organization_id = EXCLUDED.organization_id, not_before = EXCLUDED.not_before, reason = EXCLUDED.reason",
                tuple(row.subjectKey, row.userId, row.organizationId, odt(row.notBefore), row.reason)).replaceWithVoid();
    }

    /** The latest not-before of the user's revocations and of these organizations' (null when none). */
    public Uni<Instant> latestNotBefore(SqlClient conn, UUID user, Collection<UUID> organizations) {
        return Rows.one(conn, "SELECT max(not_before) AS latest FROM token_revocation WHERE user_id = $1 "
                + "OR (user_id IS NULL AND organization_id = ANY($2))",
                tuple(user, organizations.toArray(UUID[]::new)), r -> instant(r, "latest"));
    }
}
