package io.bandwatch.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.console.support.RealInventory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fleet overview against the real inventory while runner, metrics and alert are down: the list still works,
 * with the parts of the down services null and named in {@code unavailable}. And the schedule preview.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInventory.class, restrictToAnnotatedClass = true)
class FleetTest {

    String cookie;
    String csrf;

    void signIn() {
        var r = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", RealInventory.adminPassword())).post("/console/api/session");
        r.then().statusCode(200);
        String setCookie = r.getHeader("Set-Cookie");
        cookie = setCookie.substring("bw_session=".length(), setCookie.indexOf(';'));
        csrf = r.jsonPath().getString("csrf_token");
    }

    String post(String path, Object body) {
        return given().cookie("bw_session", cookie).header("X-CSRF-Token", csrf).contentType(ContentType.JSON)
                .body(body).post("/console/api/inventory/" + path).then().statusCode(201).extract().path("id");
    }

    @Test
    void theFleetListsInventorysDevicesAndNamesTheServicesThatAreDown() {
        signIn();
        String org = post("organizations", Map.of("name", "fleet-" + UUID.randomUUID(), "enabled", true));
        String marker = "rtr" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 1; i <= 3; i++) {
            post("devices", Map.of("organization_id", org, "name", marker + "-" + i, "address", "198.51.100." + i,
                    "ssh_user", "root", "password", "secret-" + i, "tags", List.of(i == 2 ? "core" : "edge"),
                    "create_default_checks", false));
        }
        JsonPath page = given().cookie("bw_session", cookie).queryParam("organization_id", org)
                .queryParam("sort", "-name").queryParam("size", 2).get("/console/api/fleet").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getLong("total")).isEqualTo(3);
        assertThat(page.getList("items.name", String.class)).containsExactly(marker + "-3", marker + "-2");
        assertThat(page.getList("items.health", String.class)).containsOnly("unknown");
        assertThat(page.getList("items.last")).containsOnlyNulls();
        assertThat(page.getList("items.last_run")).containsOnlyNulls();
        assertThat(page.getList("unavailable", String.class)).containsExactlyInAnyOrder("metrics-service",
                "check-runner-service");

        given().cookie("bw_session", cookie).queryParam("organization_id", org).queryParam("q", marker.toUpperCase() + "-2")
                .get("/console/api/fleet").then().statusCode(200).body("total", equalTo(1))
                .body("items[0].name", equalTo(marker + "-2"));
        given().cookie("bw_session", cookie).queryParam("organization_id", org).queryParam("tag", "edge")
                .get("/console/api/fleet").then().statusCode(200).body("total", equalTo(2));
        given().cookie("bw_session", cookie).queryParam("organization_id", org).queryParam("health", "ok")
                .get("/console/api/fleet").then().statusCode(200).body("total", equalTo(0));
        given().cookie("bw_session", cookie).queryParam("health", "bad").get("/console/api/fleet").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("health"));
        given().cookie("bw_session", cookie).queryParam("sort", "color").get("/console/api/fleet").then()
                .statusCode(400).body("errors[0].field", equalTo("sort"));
        // the failing-metric filter needs alert-service, which is down
        given().cookie("bw_session", cookie).queryParam("failing_field", "received_bps_tcp").get("/console/api/fleet")
                .then().statusCode(502).body("detail", equalTo("alert-service is unreachable"));

        given().cookie("bw_session", cookie).queryParam("organization_id", org).get("/console/api/fleet/summary")
                .then().statusCode(200).body("ok", equalTo(0)).body("problem", equalTo(0))
                .body("critical", equalTo(0)).body("unknown", equalTo(3));
    }

    @Test
    void nextRunsOfACronInATimeZone() {
        signIn();
        List<String> next = given().cookie("bw_session", cookie).queryParam("cron", "30 2 * * *")
                .queryParam("tz", "Europe/Rome").get("/console/api/checks/next-runs").then().statusCode(200)
                .extract().jsonPath().getList("next", String.class);
        assertThat(next).hasSize(3);
        Instant first = Instant.parse(next.get(0));
        assertThat(first).isAfter(Instant.now());
        assertThat(first.atZone(java.time.ZoneId.of("Europe/Rome")).getHour()).isEqualTo(2);
        assertThat(first.atZone(java.time.ZoneId.of("Europe/Rome")).getMinute()).isEqualTo(30);
        assertThat(Instant.parse(next.get(1))).isAfter(first);
        given().cookie("bw_session", cookie).queryParam("cron", "61 * * * *").get("/console/api/checks/next-runs")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("cron"));
        given().cookie("bw_session", cookie).queryParam("cron", "rm -rf /").get("/console/api/checks/next-runs")
                .then().statusCode(400).body("errors[0].field", equalTo("cron"));
        given().cookie("bw_session", cookie).queryParam("cron", "0 0 * * *").queryParam("tz", "Mars/Olympus")
                .get("/console/api/checks/next-runs").then().statusCode(400).body("errors[0].field", equalTo("tz"));
        given().queryParam("cron", "0 0 * * *").get("/console/api/checks/next-runs").then().statusCode(401);
    }
}
