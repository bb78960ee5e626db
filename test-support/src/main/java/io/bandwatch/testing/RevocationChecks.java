package io.bandwatch.testing;

import static io.restassured.RestAssured.given;

import io.bandwatch.events.TokenRevocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * The revocation checks every service runs against itself (security issue, finding 4), with revocations published on
 * the real {@code inventory.token-revocations} as inventory publishes them: a token issued before a revocation is
 * refused within {@link #LIMIT}, a token issued after it is not; a token living longer than the maximum is refused.
 */
public final class RevocationChecks {

    /** The bound on how long a revoked token keeps working. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private RevocationChecks() {
    }

    private static int status(String token, String path) {
        return given().auth().oauth2(token).accept("application/json").get(path).statusCode();
    }

    /** Waits (at most {@link #LIMIT}) until GET {@code path} with the token answers {@code expected}; how long it took. */
    public static Duration await(String token, String path, int expected) {
        long start = System.nanoTime();
        Awaitility.await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> status(token, path) == expected);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("revocation of " + path + " effective after " + took.toMillis() + " ms");
        return took;
    }

    private static void after(TokenRevocation revocation) {
        long wait = Duration.between(Instant.now(), revocation.notBefore()).toMillis() + 10;
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void expect(String token, String path, int expected, String why) {
        int got = status(token, path);
        if (got != expected) {
            throw new AssertionError(why + ": GET " + path + " answered " + got + ", expected " + expected);
        }
    }

    /**
     * A viewer's token that reads {@code path} (200) is refused (401) within the limit once the user is revoked, and
     * a token of the same user issued after the revocation reads it again. Answers how long the refusal took.
     */
    public static Duration userRevocationEndsOldTokens(String path) {
        UUID user = UUID.randomUUID();
        UUID org = UUID.randomUUID();
        String old = TestJwt.user(user.toString(), Map.of(org, "viewer"));
        expect(old, path, 200, "before the revocation");
        TokenRevocation revocation = TokenRevocationsTopic.user(user);
        Duration took = await(old, path, 401);
        after(revocation);
        expect(TestJwt.user(user.toString(), Map.of(org, "viewer")), path, 200, "a token issued after the revocation");
        expect(TestJwt.user(UUID.randomUUID().toString(), Map.of(org, "viewer")), path, 200, "another user");
        return took;
    }

    /**
     * A member's token that reads the organization's {@code pathOf(org)} (200) gets 404 for it within the limit once
     * the membership is revoked (another organization of the token stays readable); a token issued after the
     * revocation reads it again.
     */
    public static Duration membershipRevocationEndsTheOrganization(Function<UUID, String> pathOf) {
        UUID user = UUID.randomUUID();
        UUID org = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String old = TestJwt.user(user.toString(), Map.of(org, "owner", other, "viewer"));
        expect(old, pathOf.apply(org), 200, "before the revocation");
        TokenRevocation revocation = TokenRevocationsTopic.membership(user, org);
        Duration took = await(old, pathOf.apply(org), 404);
        expect(old, pathOf.apply(other), 200, "the token's other organization");
        after(revocation);
        expect(TestJwt.user(user.toString(), Map.of(org, "viewer")), pathOf.apply(org), 200,
                "a token issued after the revocation");
        return took;
    }

    /** A token whose {@code exp - iat} is ten years is refused (401); one of an hour is not. */
    public static void longLivedTokensAreRefused(String path) {
        UUID org = UUID.randomUUID();
        expect(TestJwt.userLivingFor("decade", Map.of(org, "viewer"), Duration.ofDays(3650)), path, 401,
                "a token living ten years");
        expect(TestJwt.userLivingFor("hour", Map.of(org, "viewer"), Duration.ofHours(1)), path, 200,
                "a token living an hour");
    }
}
