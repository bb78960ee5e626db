package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bandwatch.alert.service.Signatures;
import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.events.AlertNotification;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.NotificationType;
import io.bandwatch.testing.TestJwt;
import io.bandwatch.platform.security.SecretBox;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real HTTP server started by the test: signed deliveries, retries with back-off after
 * failures, the delivery log in the API, and a dead receiver that never holds up evaluation.
 */
@QuarkusTest
class WebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "s3cret-webhook-key-0123456789";

    record Received(byte[] body, String signature, String eventId) {
    }

    @Inject
    Pool pool;

    @Inject
    SecretBox secrets;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger(2);

    @BeforeEach
    void start() throws Exception {
        TestKafka.awaitServiceAssigned();
        // 127.0.0.2: the one internal address the test profile allows webhooks to reach
        server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(body, exchange.getRequestHeaders().getFirst(Signatures.HEADER),
                    exchange.getRequestHeaders().getFirst("X-Bandwatch-Event-Id")));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void signedDeliveriesAreRetriedAfterFailuresAndLoggedWhileADeadWebhookBlocksNothing() {
        Fixture f = Fixture.iperf3();
        String operator = TestJwt.user("op", Map.of(f.org(), "operator"));
        TestKafka.send(f.deviceSnapshot());
        TestKafka.send(f.checkSnapshot());
        await().atMost(WAIT).until(() -> given().auth().oauth2(operator).queryParam("check_id", f.check())
                .get("/api/v1/alert-settings").then().extract().jsonPath().getList("id").size() == 2);

        String hook = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("organization_id", f.org(), "url",
                        "http://127.0.0.2:" + server.getAddress().getPort() + "/hook", "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getString("id");
        String dead = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("organization_id", f.org(), "url", "http://127.0.0.2:1/nobody-listens", "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getString("id");
        JsonPath listed = given().auth().oauth2(operator).get("/api/v1/webhooks/" + hook).then().statusCode(200)
                .extract().jsonPath();
        assertThat(listed.getMap("")).doesNotContainKey("secret");
        assertThat(given().auth().oauth2(operator).get("/api/v1/webhooks").asString()).doesNotContain(SECRET);

        // encrypted at rest: the column holds '<key id>:<base64>', never the secret, and opens only for this webhook
        Row stored = pool.preparedQuery("SELECT secret, secret_encrypted FROM webhook WHERE id = $1")
                .execute(Tuple.of(java.util.UUID.fromString(hook))).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
        String column = stored.getString("secret");
        assertThat(stored.getBoolean("secret_encrypted")).isTrue();
        assertThat(column).startsWith("test1:").doesNotContain(SECRET);
        assertThat(secrets.decrypt(column, SecretBox.context("webhook", java.util.UUID.fromString(hook)))).isEqualTo(SECRET);

        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("check_id", f.check(), "field", "retransmits", "operator", ">", "threshold", 100,
                        "tolerance", "PT0S"))
                .post("/api/v1/alert-settings").then().statusCode(201);

        Instant t = Instant.parse("2026-03-01T02:00:00Z");
        TestKafka.send(f.iperf3Retransmits(t, 500));

        await().atMost(WAIT).until(() -> received.size() >= 3);
        assertThat(received).hasSize(3);
        for (Received r : received) {
            assertThat(r.signature()).isEqualTo(Signatures.sign(SECRET, r.body()));
            assertThat(r.body()).isEqualTo(received.get(0).body());
        }
        AlertNotification n = EventJson.read(received.get(0).body(), AlertNotification.class);
        assertThat(n.type()).isEqualTo(NotificationType.PROBLEM);
        assertThat(n.field()).isEqualTo("retransmits");
        assertThat(n.value()).isEqualTo(500);
        assertThat(n.message()).isEqualTo("TCP retransmits of " + f.name() + " is above 100: 500");
        assertThat(received.get(0).eventId()).isEqualTo(n.eventId().toString());

        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath log = given().auth().oauth2(operator).get("/api/v1/webhooks/" + hook + "/deliveries")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(log.getList("status")).containsExactly("delivered");
            assertThat(log.getInt("[0].attempts")).isEqualTo(3);
            assertThat(log.getList("[0].attempt_log.status_code")).containsExactly(500, 500, 204);
            assertThat(log.getString("[0].notification_id")).isEqualTo(n.eventId().toString());
            assertThat(log.getString("[0].delivered_at")).isNotNull();
        });

        // The dead receiver keeps failing, and the next result is evaluated and notified all the same.
        TestKafka.send(f.iperf3Retransmits(t.plusSeconds(3600), 0));
        await().atMost(WAIT).untilAsserted(() -> assertThat(given().auth().oauth2(operator)
                .queryParam("device_id", f.device()).get("/api/v1/notifications").then().extract().jsonPath()
                .getList("type")).containsExactly("recovery", "problem"));
        await().atMost(WAIT).until(() -> received.size() >= 4);
        // Both notifications reach the dead receiver's log; each delivery is tried and records why it failed.
        // The live receiver having the recovery says nothing of the dead one's first attempt, so wait for it.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath deadLog = given().auth().oauth2(operator).get("/api/v1/webhooks/" + dead + "/deliveries")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(deadLog.getList("status", String.class)).hasSize(2)
                    .allSatisfy(st -> assertThat(st).isIn("pending", "failed")); // failed after max-attempts
            assertThat(deadLog.getList("last_error", String.class)).allSatisfy(e -> assertThat(e).isNotBlank());
            assertThat(deadLog.getList("attempts", Integer.class))
                    .allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(1));
        });

        // another organization's webhook is not there for this caller
        given().auth().oauth2(TestJwt.user("other", Map.of(java.util.UUID.randomUUID(), "owner")))
                .get("/api/v1/webhooks/" + hook + "/deliveries").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAndNoCredentialsAreAccepted() {
        Fixture f = Fixture.ping();
        String operator = TestJwt.user("op", Map.of(f.org(), "operator"));
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("ftp://hooks.example.net/bandwatch", "absolute http or https");
        refused.put("mailto:ops@example.net", "absolute http or https");
        refused.put("/api/hook", "absolute http or https");
        refused.put("hooks.example.net/bandwatch", "absolute http or https");
        refused.put("http:///bandwatch", "must name a host");
        refused.put("http:hooks.example.net", "must name a host");
        refused.put("https://exa mple.net/hook", "not a valid URL");
        refused.put("https://user:password@hooks.example.net/hook", "must not contain a user name or password");
        refused.forEach((url, message) -> given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("organization_id", f.org(), "url", url, "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(400))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("url"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString(message))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("password@"))));
        assertThat(given().auth().oauth2(operator).get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.organization_id == '" + f.org() + "' }")).isEmpty();

        for (String url : List.of("http://127.0.0.2:8080/hook", "HTTPS://Hooks.Example.net/bandwatch?x=1")) {
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("organization_id", f.org(), "url", url, "secret", SECRET, "active", false))
                    .post("/api/v1/webhooks").then().statusCode(201).body("url", org.hamcrest.Matchers.equalTo(url));
        }
    }
}
