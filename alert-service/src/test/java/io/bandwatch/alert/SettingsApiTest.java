package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API: roles per organization, problem details naming the field, defaults, notifications. */
@QuarkusTest
class SettingsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void consuming() {
        TestKafka.awaitServiceAssigned();
    }

    private static List<Object> settingIds(String token, Fixture f) {
        return given().auth().oauth2(token).queryParam("check_id", f.check()).get("/api/v1/alert-settings")
                .then().statusCode(200).extract().jsonPath().getList("id");
    }

    @Test
    void operatorsWriteViewersReadOthersSeeNothingAndErrorsNameTheField() {
        Fixture f = Fixture.iperf3();
        String operator = TestJwt.user("op", Map.of(f.org(), "operator"));
        String viewer = TestJwt.user("view", Map.of(f.org(), "viewer"));
        String stranger = TestJwt.user("x", Map.of(UUID.randomUUID(), "owner"));
        TestKafka.send(f.checkSnapshot());
        await().atMost(WAIT).until(() -> settingIds(viewer, f).size() == 2);

        given().get("/api/v1/alert-settings").then().statusCode(401);
        assertThat(settingIds(stranger, f)).isEmpty();
        Map<String, Object> body = Map.of("check_id", f.check(), "field", "jitter", "operator", ">", "threshold", 30,
                "tolerance", "PT6H");
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(body).post("/api/v1/alert-settings")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body(body).post("/api/v1/alert-settings")
                .then().statusCode(404).contentType("application/problem+json");

        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("check_id", f.check(), "field", "jitter", "operator", ">", "threshold", 30, "tolerance", "P8D"))
                .post("/api/v1/alert-settings").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("tolerance"));
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("check_id", f.check(), "field", "reachable", "operator", ">", "threshold", 30, "tolerance", "PT1H"))
                .post("/api/v1/alert-settings").then().statusCode(400).body("errors[0].field", equalTo("field"));
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("check_id", f.check(), "field", "jitter", "threshold", 30, "tolerance", "PT1H"))
                .post("/api/v1/alert-settings").then().statusCode(400).body("errors[0].field", equalTo("operator"));
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("check_id", f.check(), "field", "sent_bps_tcp", "operator", "<", "threshold", 1, "tolerance", "PT1H"))
                .post("/api/v1/alert-settings").then().statusCode(409).body("errors[0].field", equalTo("field"));

        JsonPath created = given().auth().oauth2(operator).contentType(ContentType.JSON).body(body)
                .post("/api/v1/alert-settings").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertThat(created.getString("tolerance")).isEqualTo("PT6H");
        assertThat(created.getString("status")).isEqualTo("ok");
        assertThat(created.getBoolean("active")).isTrue();

        given().auth().oauth2(viewer).get("/api/v1/alert-settings/" + id).then().statusCode(200)
                .body("field", equalTo("jitter"));
        given().auth().oauth2(stranger).get("/api/v1/alert-settings/" + id).then().statusCode(404);
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("operator", ">", "threshold", 50, "tolerance", "PT2H", "active", false))
                .put("/api/v1/alert-settings/" + id).then().statusCode(200)
                .body("threshold", equalTo(50.0f)).body("active", equalTo(false)).body("tolerance", equalTo("PT2H"));
        given().auth().oauth2(viewer).delete("/api/v1/alert-settings/" + id).then().statusCode(403);
        given().auth().oauth2(operator).delete("/api/v1/alert-settings/" + id).then().statusCode(204);
        given().auth().oauth2(operator).get("/api/v1/alert-settings/" + id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void organizationDefaultsReplaceTheBuiltInOnesForNewChecks() {
        Fixture f = Fixture.iperf3();
        String owner = TestJwt.user("owner", Map.of(f.org(), "owner"));
        given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body(List.of(Map.of("check_type", "iperf3", "field", "sent_bps_tcp", "operator", "<",
                        "threshold", 50e6, "tolerance", "PT6H")))
                .put("/api/v1/organizations/" + f.org() + "/alert-defaults").then().statusCode(200)
                .body("[0].tolerance", equalTo("PT6H"));
        given().auth().oauth2(TestJwt.user("v", Map.of(f.org(), "viewer"))).contentType(ContentType.JSON)
                .body(List.of()).put("/api/v1/organizations/" + f.org() + "/alert-defaults").then().statusCode(403);

        TestKafka.send(f.checkSnapshot());
        Fixture ping = new Fixture(f.org(), f.device(), UUID.randomUUID(), io.bandwatch.events.CheckType.PING, f.name());
        TestKafka.send(ping.checkSnapshot());
        await().atMost(WAIT).until(() -> settingIds(owner, ping).size() == 1);
        await().atMost(WAIT).until(() -> settingIds(owner, f).size() == 1);
        JsonPath s = given().auth().oauth2(owner).queryParam("device_id", f.device()).get("/api/v1/alert-settings")
                .then().extract().jsonPath();
        assertThat(s.getList("field")).containsExactlyInAnyOrder("sent_bps_tcp", "reachable");
        assertThat(s.getDouble("find { it.field == 'sent_bps_tcp' }.threshold")).isEqualTo(50e6);
        assertThat(s.getString("find { it.field == 'sent_bps_tcp' }.tolerance")).isEqualTo("PT6H");
        assertThat(s.getString("find { it.field == 'reachable' }.tolerance")).isEqualTo("PT30M");
    }

    @Test
    void notificationsFilterByTypeAndUnreadAndAreMarkedRead() {
        Fixture f = Fixture.iperf3();
        String operator = TestJwt.user("op", Map.of(f.org(), "operator"));
        TestKafka.send(f.iperf3Failed(Instant.parse("2026-04-01T00:00:00Z")));
        await().atMost(WAIT).until(() -> settingIds(operator, f).size() == 2);
        String iperf3Result = given().auth().oauth2(operator).queryParam("check_id", f.check())
                .get("/api/v1/alert-settings").then().extract().jsonPath()
                .getString("find { it.field == 'iperf3_result' }.id");
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("operator", "<", "threshold", 1, "tolerance", "PT0S"))
                .put("/api/v1/alert-settings/" + iperf3Result).then().statusCode(200);
        TestKafka.send(f.iperf3Failed(Instant.parse("2026-04-02T00:00:00Z")));
        await().atMost(WAIT).until(() -> given().auth().oauth2(operator).queryParam("device_id", f.device())
                .queryParam("unread", true).get("/api/v1/notifications").then().extract().jsonPath()
                .getList("id").size() == 1);
        String id = given().auth().oauth2(operator).queryParam("device_id", f.device()).queryParam("type", "problem")
                .get("/api/v1/notifications").then().statusCode(200).extract().jsonPath().getString("[0].id");
        given().auth().oauth2(operator).queryParam("device_id", f.device()).queryParam("type", "recovery")
                .get("/api/v1/notifications").then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(operator).queryParam("type", "bogus").get("/api/v1/notifications").then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
        given().auth().oauth2(TestJwt.user("x", Map.of(UUID.randomUUID(), "owner"))).post("/api/v1/notifications/" + id + "/read")
                .then().statusCode(404);
        given().auth().oauth2(TestJwt.user("v", Map.of(f.org(), "viewer"))).post("/api/v1/notifications/" + id + "/read")
                .then().statusCode(204);
        given().auth().oauth2(operator).queryParam("device_id", f.device()).queryParam("unread", true)
                .get("/api/v1/notifications").then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(operator).get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("read", equalTo(true)).body("message", equalTo("iperf3 has been failing on " + f.device()));
    }
}
