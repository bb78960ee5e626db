package io.bandwatch.inventory.service;

import io.bandwatch.events.TokenRevocation;
import io.bandwatch.inventory.domain.RevokedTokens;
import io.bandwatch.inventory.repository.RevokedTokensRepository;
import io.bandwatch.platform.messaging.InTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.UUID;

/**
 * Ends access early: a revocation is recorded ({@code token_revocation}) and published on
 * {@code inventory.token-revocations} through the outbox, in the transaction of the change; every replica of every
 * service then refuses what it names in tokens issued before its not-before (platform {@code TokenRevocations}).
 *
 * <p>Tokens carry {@code iat} in whole seconds. The not-before is the whole second {@link #MARGIN_SECONDS} after the
 * change (the margin covers the commit): every token issued before the change, from the state before it, is refused.
 * {@link #issuableFrom} lets {@code AuthService} wait until then rather than issue a token that is born revoked.
 */
@ApplicationScoped
public class Revocations {

    /** Seconds between the change and the not-before: its second, and one more for the commit. */
    static final int MARGIN_SECONDS = 2;

    @Inject
    Pool pool;
    @Inject
    RevokedTokensRepository rows;

    /** The not-before of a revocation made now. */
    public static Instant notBefore() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(MARGIN_SECONDS);
    }

    /** Every token of the user (password changed, disabled, superuser flag changed); in the caller's transaction. */
    public Uni<Void> user(SqlClient conn, UUID user, String reason) {
        return revoke(conn, TokenRevocation.ofUser(user, notBefore(), reason));
    }

    /** The organization in the user's tokens (membership removed or its role changed). */
    public Uni<Void> membership(SqlClient conn, UUID user, UUID organization, String reason) {
        return revoke(conn, TokenRevocation.ofMembership(user, organization, notBefore(), reason));
    }

    /** The organization in every token (disabled). */
    public Uni<Void> organization(SqlClient conn, UUID organization, String reason) {
        return revoke(conn, TokenRevocation.ofOrganization(organization, notBefore(), reason));
    }

    private Uni<Void> revoke(SqlClient conn, TokenRevocation revocation) {
        RevokedTokens row = new RevokedTokens();
        row.subjectKey = revocation.subjectKey();
        row.userId = revocation.userId();
        row.organizationId = revocation.organizationId();
        row.notBefore = revocation.notBefore();
        row.reason = revocation.reason();
        return rows.save(conn, row).chain(() -> Outbox.append(InTransaction.of(conn), revocation));
    }

    /**
     * The first instant a token of the user with these organizations can be issued without being refused by a
     * revocation already made (of the user, of its memberships or of the organizations); null when there is none
     * in the future.
     */
    public Uni<Instant> issuableFrom(UUID user, Collection<UUID> organizations) {
        return rows.latestNotBefore(pool, user, organizations).map(latest -> latest != null && latest.isAfter(Instant.now())
                ? latest : null);
    }
}
