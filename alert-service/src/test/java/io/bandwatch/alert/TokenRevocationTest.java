package io.bandwatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.testing.RevocationChecks;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Revocation (security issue, finding 4) in alert-service: a revocation on the real inventory.token-revocations topic
 * ends the old token within 30 s, and a token living longer than bandwatch.auth.max-token-lifetime is refused.
 */
@QuarkusTest
class TokenRevocationTest {

    @Test
    void aRevokedUsersOldTokenIsRefusedWithin30Seconds() {
        Duration took = RevocationChecks.userRevocationEndsOldTokens("/api/v1/notifications");
        assertThat(took).isLessThanOrEqualTo(RevocationChecks.LIMIT);
    }

    @Test
    void aRevokedMembershipTakesTheOrganizationOutOfTheOldToken() {
        Duration took = RevocationChecks.membershipRevocationEndsTheOrganization(
                org -> "/api/v1/organizations/" + org + "/alert-defaults");
        assertThat(took).isLessThanOrEqualTo(RevocationChecks.LIMIT);
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        RevocationChecks.longLivedTokensAreRefused("/api/v1/notifications");
    }
}
