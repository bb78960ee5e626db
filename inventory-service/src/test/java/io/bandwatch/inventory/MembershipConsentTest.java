package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Membership without consent (security issue, finding 3): an owner adds to an organization only users who already
 * share one of the owner's organizations; any other user id, a superuser's included, answers exactly like an unknown
 * id, and a user's page shows the owner only the memberships of organizations the owner sees.
 */
@QuarkusTest
class MembershipConsentTest {

    private static UUID user(boolean superuser, UUID... orgs) {
        String id = as(Api.superuser()).body(Map.of("username", "m-" + UUID.randomUUID().toString().substring(0, 12),
                "password", "a-long-password", "superuser", superuser,
                "memberships", List.of(orgs).stream().map(o -> Map.of("organization_id", o.toString(), "role", "viewer"))
                        .toList()))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    @Test
    void anOwnerAddsOnlyUsersItAlreadySharesAnOrganizationWith() {
        UUID mine = Api.organization();
        UUID mySecond = Api.organization();
        UUID theirs = Api.organization();
        String owner = as(Api.superuser()).body(Map.of("username", "owner-" + UUID.randomUUID().toString().substring(0, 8),
                "password", "a-long-password", "memberships", List.of(
                        Map.of("organization_id", mine.toString(), "role", "owner"),
                        Map.of("organization_id", mySecond.toString(), "role", "owner"))))
                .post("/api/v1/users").then().statusCode(201).extract().path("username");
        String token = AuthTest.login(owner, "a-long-password");

        UUID stranger = user(false, theirs);
        UUID root = user(true);
        UUID colleague = user(false, mine, theirs);

        String unknown = as(token).body(Map.of("role", "viewer"))
                .put("/api/v1/organizations/" + mine + "/members/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").extract().path("detail");
        for (UUID id : List.of(stranger, root)) {
            String detail = as(token).body(Map.of("role", "viewer")).put("/api/v1/organizations/" + mine + "/members/" + id)
                    .then().statusCode(404).contentType("application/problem+json").extract().path("detail");
            assertThat(detail).as("no oracle: a known id answers like an unknown one").isEqualTo(unknown);
        }
        assertThat(as(token).get("/api/v1/organizations/" + mine + "/members").jsonPath().getList("user_id", String.class))
                .doesNotContain(stranger.toString(), root.toString());

        // a user who already shares an organization may be added to another one of the owner's
        as(token).body(Map.of("role", "operator")).put("/api/v1/organizations/" + mySecond + "/members/" + colleague)
                .then().statusCode(200).body("role", equalTo("operator"));
        // and the owner sees only the memberships of the owner's organizations, not the colleague's others
        List<String> orgs = as(token).get("/api/v1/users/" + colleague).then().statusCode(200).extract().jsonPath()
                .getList("memberships.organization_id", String.class);
        assertThat(orgs).containsExactlyInAnyOrder(mine.toString(), mySecond.toString()).doesNotContain(theirs.toString());

        // a superuser adds anyone anywhere
        as(Api.superuser()).body(Map.of("role", "viewer")).put("/api/v1/organizations/" + mine + "/members/" + stranger)
                .then().statusCode(200);
    }
}
