package io.bandwatch.inventory.service;

import io.bandwatch.events.TokenRevocation;
import io.bandwatch.inventory.domain.RevokedTokens;
import io.bandwatch.inventory.repository.RevokedTokensRepository;
import io.bandwatch.platform.messaging.PanacheTransaction;
import io.bandwatch.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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
    RevokedTokensRepository rows;

    /** The not-before of a revocation made now. */
    public static Instant notBefore() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(MARGIN_SECONDS);
    }

    /** Every token of the user (password changed, disabled, superuser flag changed); in the caller's transaction. */
    public Uni<Void> user(UUID user, String reason) {
        return revoke(TokenRevocation.ofUser(user, notBefore(), reason));
    }

    /** The organization in the user's tokens (membership removed or its role changed). */
    public Uni<Void> membership(UUID user, UUID organization, String reason) {
        return revoke(TokenRevocation.ofMembership(user, organization, notBefore(), reason));
    }

    /** The organization in every token (disabled). */
    public Uni<Void> organization(UUID organization, String reason) {
        return revoke(TokenRevocation.ofOrganization(organization, notBefore(), reason));
    }

    private Uni<Void> revoke(TokenRevocation revocation) {
        RevokedTokens row = new RevokedTokens();
        row.subjectKey = revocation.subjectKey();
        row.userId = revocation.userId();
        row.organizationId = revocation.organizationId();
        row.notBefore = revocation.notBefore();
        row.reason = revocation.reason();
        return Panache.getSession().chain(s -> s.merge(row)).replaceWithVoid()
                .chain(() -> Outbox.append(PanacheTransaction.current(), revocation));
    }

    /**
     * The first instant a token of the user with these organizations can be issued without being refused by a
     * revocation already made (of the user, of its memberships or of the organizations); null when there is none
     * in the future.
     */
    public Uni<Instant> issuableFrom(UUID user, Collection<UUID> organizations) {
        String query = "select max(r.notBefore) from RevokedTokens r where r.userId = ?1"
                + (organizations.isEmpty() ? "" : " or (r.userId is null and r.organizationId in ?2)");
        var find = organizations.isEmpty() ? rows.find(query, user) : rows.find(query, user, organizations);
        return find.project(Instant.class).firstResult().map(latest -> latest != null && latest.isAfter(Instant.now())
                ? latest : null);
    }
}
