package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Organizations, users and memberships through REST. */
@QuarkusTest
class OrganizationUserTest {

    @Test
    void organizationLifecycle() {
        String root = Api.superuser();
        String name = "acme-" + UUID.randomUUID();
        String id = as(root).body(Map.of("name", name)).post("/api/v1/organizations").then().statusCode(201)
                .body("enabled", equalTo(true)).extract().path("id");
        UUID org = UUID.fromString(id);
        as(root).body(Map.of("name", name)).post("/api/v1/organizations").then().statusCode(409)
                .body("errors[0].field", equalTo("name"));
        // an owner renames and disables it with If-Match; a viewer cannot
        String owner = Api.token(org, "owner");
        as(Api.token(org, "viewer")).header("If-Match", "0").body(Map.of("name", name + "-x"))
                .put("/api/v1/organizations/" + id).then().statusCode(403);
        as(owner).header("If-Match", "0").body(Map.of("name", name + "-renamed", "enabled", false))
                .put("/api/v1/organizations/" + id).then().statusCode(200).body("enabled", equalTo(false))
                .body("version", equalTo(1));
        as(owner).header("If-Match", "0").body(Map.of("name", name + "-again"))
                .put("/api/v1/organizations/" + id).then().statusCode(412);
        // members see only their organizations; a superuser sees all, filterable
        assertThat(as(owner).get("/api/v1/organizations").jsonPath().getList("items.id", String.class))
                .containsExactly(id);
        assertThat(as(root).queryParam("enabled", false).queryParam("size", 500).get("/api/v1/organizations")
                .jsonPath().getList("items.id", String.class)).contains(id);
        // only a superuser creates organizations
        as(owner).body(Map.of("name", "x-" + UUID.randomUUID())).post("/api/v1/organizations").then().statusCode(403);
    }

    @Test
    void ownersManageTheirOrganizationsUsers() {
        UUID org = Api.organization();
        UUID other = Api.organization();
        String owner = Api.token(org, "owner");
        String username = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        String id = as(owner).body(Map.of("username", username, "password", "a-long-password",
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "operator"))))
                .post("/api/v1/users").then().statusCode(201).body("memberships[0].role", equalTo("operator"))
                .extract().path("id");
        as(owner).body(Map.of("username", username, "password", "a-long-password",
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "viewer"))))
                .post("/api/v1/users").then().statusCode(409).body("errors[0].field", equalTo("username"));
        // validation names the field
        as(owner).body(Map.of("username", "carol", "password", "short",
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "king"))))
                .post("/api/v1/users").then().statusCode(400).contentType("application/problem+json");
        // an owner cannot create users in an organization they do not own, nor superusers
        as(owner).body(Map.of("username", "eve-" + UUID.randomUUID().toString().substring(0, 8), "password",
                "a-long-password", "memberships", List.of(Map.of("organization_id", other.toString(), "role", "owner"))))
                .post("/api/v1/users").then().statusCode(404);
        as(owner).body(Map.of("username", "eve-" + UUID.randomUUID().toString().substring(0, 8), "password",
                "a-long-password", "superuser", true,
                "memberships", List.of(Map.of("organization_id", org.toString(), "role", "owner"))))
                .post("/api/v1/users").then().statusCode(403);

        as(owner).get("/api/v1/users/" + id).then().statusCode(200).body("username", equalTo(username));
        assertThat(as(owner).get("/api/v1/users").jsonPath().getList("items.username", String.class)).contains(username);
        // disable, then the user cannot log in
        as(owner).header("If-Match", "0").body(Map.of("enabled", false)).put("/api/v1/users/" + id)
                .then().statusCode(200).body("enabled", equalTo(false));
        as(null).body(Map.of("username", username, "password", "a-long-password")).post("/api/v1/auth/token")
                .then().statusCode(401);
        // memberships: change the role, list, remove
        as(owner).body(Map.of("role", "viewer")).put("/api/v1/organizations/" + org + "/members/" + id)
                .then().statusCode(200).body("role", equalTo("viewer"));
        assertThat(as(owner).get("/api/v1/organizations/" + org + "/members").jsonPath()
                .getList("username", String.class)).contains(username);
        as(owner).delete("/api/v1/organizations/" + org + "/members/" + id).then().statusCode(204);
        // gone from the owner's view
        as(owner).get("/api/v1/users/" + id).then().statusCode(404);
        // another organization's owner never sees them
        as(Api.token(other, "owner")).get("/api/v1/users/" + id).then().statusCode(404);
    }
}
