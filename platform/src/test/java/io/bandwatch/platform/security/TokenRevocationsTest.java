package io.bandwatch.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.TokenRevocation;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** What a revocation takes from a token issued before its not-before, and only from such a token. */
class TokenRevocationsTest {

    private final UUID user = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();
    private final UUID org2 = UUID.randomUUID();
    private final Instant notBefore = Instant.parse("2026-12-02T10:00:02Z");
    private final long before = notBefore.getEpochSecond() - 1;
    private final long at = notBefore.getEpochSecond();

    private static DefaultJWTCallerPrincipal jwt(String subject, long iat, long exp, Map<String, Object> orgs) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setClaim("upn", "someone");
        claims.setStringListClaim("groups", "user");
        claims.setClaim("orgs", orgs);
        if (iat > 0) {
            claims.setIssuedAt(NumericDate.fromSeconds(iat));
        }
        claims.setExpirationTime(NumericDate.fromSeconds(exp));
        return new DefaultJWTCallerPrincipal(claims);
    }

    @Test
    void aUserRevocationEndsTheTokensIssuedBeforeItOnly() {
        TokenRevocations r = new TokenRevocations();
        r.apply(TokenRevocation.ofUser(user, notBefore, "password_changed"));

        assertThat(r.userRevoked(user, before)).isTrue();
        assertThat(r.userRevoked(user, at)).as("issued at the not-before").isFalse();
        assertThat(r.userRevoked(other, before)).isFalse();
        assertThat(r.organizationRevoked(user, org, before)).as("a user revocation names no organization").isFalse();
    }

    @Test
    void aMembershipRevocationTakesOneOrganizationOfOneUser() {
        TokenRevocations r = new TokenRevocations();
        r.apply(TokenRevocation.ofMembership(user, org, notBefore, "membership_removed"));

        Map<UUID, String> roles = Map.of(org, "owner", org2, "viewer");
        assertThat(r.withoutRevoked(user, roles, before)).containsOnlyKeys(org2);
        assertThat(r.withoutRevoked(user, roles, at)).containsOnlyKeys(org, org2);
        assertThat(r.withoutRevoked(other, roles, before)).containsOnlyKeys(org, org2);
        assertThat(r.userRevoked(user, before)).isFalse();
    }

    @Test
    void anOrganizationRevocationTakesItFromEveryToken() {
        TokenRevocations r = new TokenRevocations();
        r.apply(TokenRevocation.ofOrganization(org, notBefore, "organization_disabled"));

        assertThat(r.organizationRevoked(user, org, before)).isTrue();
        assertThat(r.organizationRevoked(null, org, before)).as("a token without a user id").isTrue();
        assertThat(r.organizationRevoked(user, org2, before)).isFalse();
    }

    @Test
    void theLaterNotBeforeWinsAndTombstonesAndPruningForget() {
        TokenRevocations r = new TokenRevocations();
        r.apply(TokenRevocation.ofUser(user, notBefore.plusSeconds(60), "user_disabled"));
        r.apply(TokenRevocation.ofUser(user, notBefore, "password_changed"));
        assertThat(r.userRevoked(user, at + 30)).as("an older record replayed does not shorten it").isTrue();

        r.forget(user);
        assertThat(r.userRevoked(user, before)).isFalse();

        r.apply(TokenRevocation.ofMembership(user, org, notBefore, "role_changed"));
        r.prune(notBefore.plusSeconds(1));
        assertThat(r.size()).isZero();
    }

    @Test
    void thePolicyRefusesLongLivedTokensAndRevokedUsersAndTheCallerLosesRevokedOrganizations() {
        TokenRevocations r = new TokenRevocations();
        TokenPolicy policy = new TokenPolicy();
        policy.revocations = r;
        policy.maxTokenLifetime = Duration.ofHours(1);
        long exp = before + 3600;

        assertThat(policy.refusal(jwt(user.toString(), before, exp, Map.of()))).isNull();
        assertThat(policy.refusal(jwt(user.toString(), before, exp + 1, Map.of()))).startsWith("token lifetime exceeds");
        assertThat(policy.refusal(jwt(user.toString(), before, before + 3650L * 86400, Map.of()))).isNotNull();
        assertThat(policy.refusal(jwt(user.toString(), 0, exp, Map.of()))).as("no iat").isNotNull();

        r.apply(TokenRevocation.ofUser(user, notBefore, "user_disabled"));
        assertThat(policy.refusal(jwt(user.toString(), before, exp, Map.of()))).isEqualTo("token revoked");
        assertThat(policy.refusal(jwt(user.toString(), at, at + 3600, Map.of()))).isNull();
        assertThat(policy.refusal(jwt("alice", before, exp, Map.of()))).as("a subject that is no user id").isNull();

        r.apply(TokenRevocation.ofMembership(other, org, notBefore, "membership_removed"));
        Caller caller = new Caller(jwt(other.toString(), before, exp, Map.of(org.toString(), "owner",
                org2.toString(), "viewer")));
        caller.revocations = r;
        assertThat(caller.readable()).containsExactly(org2);
        assertThat(caller.isOwner(org)).isFalse();
        assertThat(caller.canRead(org)).isFalse();
    }
}
