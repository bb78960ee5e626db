package io.bandwatch.inventory.service;

import io.bandwatch.inventory.config.InventoryConfig;
import io.bandwatch.inventory.domain.AppUser;
import io.bandwatch.inventory.repository.MembershipRepository;
import io.bandwatch.inventory.repository.UserRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.TokenResponse;
import io.bandwatch.inventory.security.Passwords;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.Map;
import java.util.Set;

/**
 * Issues RS256 tokens (sign-in by user name ignores case: names are unique regardless of case) for users and service accounts: {@code upn}, {@code groups} ({@code user},
 * {@code superuser} or {@code service}) and {@code orgs} (organization id to role, enabled organizations only).
 */
@ApplicationScoped
public class AuthService {


    @Inject
    Pool pool;
    @Inject
    UserRepository users;
    @Inject
    MembershipRepository memberships;
    @Inject
    InventoryConfig config;
    @Inject
    Vertx vertx;
    @Inject
    Revocations revocations;

    public Uni<TokenResponse> token(String username, String password) {
        return users.findByName(pool, username).chain(user -> {
            String hash = user == null || !user.enabled ? null : user.passwordHash;
            return vertx.executeBlocking(() -> Passwords.verify(password, hash)).chain(ok -> {
                if (!ok) {
                    // logged with the user name and source by AuthResource, which also counts it for throttling
                    throw ProblemException.unauthorized("invalid user name or password");
                }
                return orgs(user);
            }).chain(orgs -> notRevoked(user, orgs)).chain(orgs -> vertx.executeBlocking(() -> sign(user, orgs)));
        });
    }

    /**
     * Waits (at most {@link Revocations#MARGIN_SECONDS} s, only right after a revocation of this user or of one of its
     * organizations) until a token issued now is not refused by that revocation: {@code iat} is whole seconds.
     */
    private Uni<Map<String, String>> notRevoked(AppUser user, Map<String, String> orgs) {
        return revocations.issuableFrom(user.id, orgs.keySet().stream().map(UUID::fromString).toList()).chain(from -> {
            if (from == null) {
                return Uni.createFrom().item(orgs);
            }
            long wait = Math.max(1, Duration.between(Instant.now(), from).toMillis() + 5);
            return Uni.createFrom().<Map<String, String>>emitter(e -> vertx.setTimer(wait, id -> e.complete(orgs)));
        });
    }

    private Uni<Map<String, String>> orgs(AppUser user) {
        if (user.service) {
            return Uni.createFrom().item(Map.of());
        }
        return memberships.ofUserInEnabled(pool, user.id).map(list -> {
                    Map<String, String> orgs = new LinkedHashMap<>();
                    list.forEach(m -> orgs.put(m.organizationId.toString(), m.role));
                    return orgs;
                });
    }

    private TokenResponse sign(AppUser user, Map<String, String> orgs) {
        Set<String> groups = user.service ? Set.of("service") : user.superuser ? Set.of("user", "superuser")
                : Set.of("user");
        long lifetime = config.auth().tokenLifetime().toSeconds();
        String token = Jwt.upn(user.username)
                .subject(user.id.toString())
                .groups(groups)
                .claim("orgs", orgs)
                .expiresIn(lifetime)
                .sign();
        return new TokenResponse(token, "Bearer", lifetime);
    }
}
