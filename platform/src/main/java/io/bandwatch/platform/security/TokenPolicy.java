package io.bandwatch.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What every service asks of a verified JWT beyond its signature, issuer and expiry (401 otherwise):
 * <ul>
 * <li>its lifetime {@code exp - iat} is at most {@code bandwatch.auth.max-token-lifetime} (default {@code PT1H},
 * what inventory issues), so a token minted for years is refused;</li>
 * <li>its user ({@code sub}) has no revocation after the token's {@code iat} ({@link TokenRevocations}: password
 * changed, user disabled, superuser flag changed).</li>
 * </ul>
 * Revocations of one organization in a token (membership removed or role changed, organization disabled) leave
 * the token valid and take the organization out of its {@link Caller#roles()}.
 */
@ApplicationScoped
public class TokenPolicy implements SecurityIdentityAugmentor {

    @Inject
    TokenRevocations revocations;

    @ConfigProperty(name = "bandwatch.auth.max-token-lifetime", defaultValue = "PT1H")
    Duration maxTokenLifetime;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String refused = refusal(jwt);
        if (refused != null) {
            return Uni.createFrom().failure(new AuthenticationFailedException(refused));
        }
        return Uni.createFrom().item(identity);
    }

    /** Why the token is refused, or null. */
    String refusal(JsonWebToken jwt) {
        long issuedAt = jwt.getIssuedAtTime();
        long expires = jwt.getExpirationTime();
        if (issuedAt <= 0 || expires - issuedAt > maxTokenLifetime.toSeconds()) {
            return "token lifetime exceeds " + maxTokenLifetime;
        }
        if (revocations.userRevoked(TokenRevocations.userOf(jwt.getSubject()), issuedAt)) {
            return "token revoked";
        }
        return null;
    }
}
