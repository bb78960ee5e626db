package io.bandwatch.platform.security;

import io.bandwatch.events.TokenRevocation;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The not-before instants of the token revocations this replica has read ({@link TokenRevocationReader}): per user
 * (every token of the user), per organization (the organization in every token) and per membership (the
 * organization in the user's tokens). A token whose {@code iat} is before a not-before that concerns it loses what
 * the revocation names. Thread-safe; a later revocation of the same key only moves its not-before forward.
 */
public class TokenRevocations {

    private final Map<UUID, Instant> users = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> organizations = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> memberships = new ConcurrentHashMap<>();

    /** Records a revocation (idempotent; the later not-before of a key wins). */
    public void apply(TokenRevocation revocation) {
        Map<UUID, Instant> map = revocation.userId() == null ? organizations
                : revocation.organizationId() == null ? users : memberships;
        map.merge(revocation.subjectKey(), revocation.notBefore(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** A tombstone of the topic: the key is forgotten. */
    public void forget(UUID key) {
        users.remove(key);
        organizations.remove(key);
        memberships.remove(key);
    }

    /** Drops the not-befores before {@code horizon}: no token accepted now was issued before them. */
    public void prune(Instant horizon) {
        users.values().removeIf(nb -> nb.isBefore(horizon));
        organizations.values().removeIf(nb -> nb.isBefore(horizon));
        memberships.values().removeIf(nb -> nb.isBefore(horizon));
    }

    /** Every token of the user issued at {@code issuedAt} (epoch seconds, the {@code iat} claim) is revoked. */
    public boolean userRevoked(UUID user, long issuedAt) {
        return user != null && before(issuedAt, users.get(user));
    }

    /** The organization is revoked in the user's token issued at {@code issuedAt} (user may be null: unknown). */
    public boolean organizationRevoked(UUID user, UUID organization, long issuedAt) {
        return before(issuedAt, organizations.get(organization))
                || user != null && before(issuedAt, memberships.get(TokenRevocation.membershipKey(user, organization)));
    }

    /** The roles of a token without its revoked organizations. */
    public <R> Map<UUID, R> withoutRevoked(UUID user, Map<UUID, R> roles, long issuedAt) {
        if (organizations.isEmpty() && memberships.isEmpty()) {
            return roles;
        }
        Map<UUID, R> kept = new HashMap<>();
        roles.forEach((org, role) -> {
            if (!organizationRevoked(user, org, issuedAt)) {
                kept.put(org, role);
            }
        });
        return kept.size() == roles.size() ? roles : Map.copyOf(kept);
    }

    /** How many not-befores are kept (users, organizations, memberships). */
    public int size() {
        return users.size() + organizations.size() + memberships.size();
    }

    private static boolean before(long issuedAt, Instant notBefore) {
        return notBefore != null && Instant.ofEpochSecond(issuedAt).isBefore(notBefore);
    }

    /** The user id of a token's subject ({@code sub}); null when it is not a UUID (an external issuer's). */
    public static UUID userOf(String subject) {
        if (subject == null || subject.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
