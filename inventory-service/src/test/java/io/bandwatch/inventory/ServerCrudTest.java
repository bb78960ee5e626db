package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** iperf3 servers through REST: CRUD, sharing between organizations, write-only password. */
@QuarkusTest
class ServerCrudTest {

    @Test
    void lifecycleAndSharing() {
        UUID a = Api.organization();
        UUID b = Api.organization();
        String ownerOfBoth = io.bandwatch.testing.TestJwt.user("both-" + UUID.randomUUID(), Map.of(a, "owner", b, "owner"));
        String host = Api.randomHost();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_ids", List.of(a.toString(), b.toString()));
        body.put("host", host);
        body.put("port", 5202);
        body.put("username", "bw-user");
        body.put("password", "iperf-pass-123");
        body.put("rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
        String id = as(ownerOfBoth).body(body).post("/api/v1/iperf3-servers").then().statusCode(201)
                .body("auth_required", equalTo(true)).body("password", nullValue())
                .body("organization_ids.size()", equalTo(2)).extract().path("id");
        // duplicate endpoint
        as(ownerOfBoth).body(body).post("/api/v1/iperf3-servers").then().statusCode(409)
                .body("errors[0].field", equalTo("host"));
        // a viewer of b sees it, but only b's id
        as(Api.token(b, "viewer")).get("/api/v1/iperf3-servers/" + id).then().statusCode(200)
                .body("organization_ids", equalTo(List.of(b.toString())));
        assertThat(as(Api.token(a, "viewer")).queryParam("organization_id", a.toString()).get("/api/v1/iperf3-servers")
                .jsonPath().getList("items.id", String.class)).containsExactly(id);
        // an owner of a only cannot change a server shared with b
        body.remove("password");
        as(Api.token(a, "owner")).header("If-Match", "0").body(body).put("/api/v1/iperf3-servers/" + id)
                .then().statusCode(403);
        // un-share from b, keep the stored password
        body.put("organization_ids", List.of(a.toString()));
        body.put("enabled", false);
        as(ownerOfBoth).header("If-Match", "0").body(body).put("/api/v1/iperf3-servers/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("auth_required", equalTo(true)).body("version", equalTo(1));
        as(Api.token(b, "viewer")).get("/api/v1/iperf3-servers/" + id).then().statusCode(404);
        // validation names the field
        Map<String, Object> bad = new LinkedHashMap<>(body);
        bad.put("host", Api.randomHost());
        bad.put("port", 0);
        as(ownerOfBoth).body(bad).post("/api/v1/iperf3-servers").then().statusCode(400)
                .body("errors[0].field", equalTo("port"));
        bad.put("port", 5201);
        bad.put("rsa_public_key", "-----BEGIN PUBLIC KEY-----\nnot base64 !!\n-----END PUBLIC KEY-----");
        as(ownerOfBoth).body(bad).post("/api/v1/iperf3-servers").then().statusCode(400)
                .body("errors[0].field", equalTo("rsa_public_key"));
        // delete
        as(Api.token(a, "owner")).delete("/api/v1/iperf3-servers/" + id).then().statusCode(204);
        as(Api.token(a, "owner")).get("/api/v1/iperf3-servers/" + id).then().statusCode(404);
    }
}
