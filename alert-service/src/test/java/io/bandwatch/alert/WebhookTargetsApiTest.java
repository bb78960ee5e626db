package io.bandwatch.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpServer;
import io.bandwatch.alert.support.Events.Fixture;
import io.bandwatch.alert.support.TestKafka;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Webhook SSRF (security issue, finding 1) through the running service: no operator can aim a webhook at an internal
 * address in any spelling, and a webhook whose target turns internal after creation is refused at delivery, with
 * nothing of the internal answer in the delivery log.
 */
@QuarkusTest
class WebhookTargetsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "s3cret-webhook-key-0123456789";

    @Inject
    Pool pool;

    @Test
    void everyInternalSpellingIsRefusedWithAProblemNamingTheUrl() {
        UUID org = UUID.randomUUID();
        String operator = TestJwt.user("op", Map.of(org, "operator"));
        for (String url : List.of("http://127.0.0.1:8081/api/v1/devices", "http://localhost:8086/ping",
                "http://[::1]:9092/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://2130706433/",
                "http://0x7f000001/", "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/",
                "http://10.0.0.1/", "http://192.168.0.1/", "http://172.20.0.1/", "http://[fe80::1%25eth0]/",
                "http://[fd00::1]/", "http://100.64.1.1/", "http://127.0.0.2.nip.localhost/")) {
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("organization_id", org, "url", url, "secret", SECRET))
                    .post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", startsWith("refused: internal address"));
        }
        for (String url : List.of("http://hooks.example.net:0/", "http://hooks.example.net:99999/")) {
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("organization_id", org, "url", url, "secret", SECRET))
                    .post("/api/v1/webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        }
        assertThat(given().auth().oauth2(operator).get("/api/v1/webhooks").jsonPath()
                .getList("findAll { it.organization_id == '" + org + "' }")).isEmpty();
    }

    @Test
    void aTargetThatTurnsInternalAfterCreationIsRefusedAtDelivery() throws Exception {
        // a receiver on loopback (127.0.0.1, not the allowed 127.0.0.2) that must never be called
        AtomicInteger calls = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        internal.start();
        try {
            Fixture f = Fixture.iperf3();
            String operator = TestJwt.user("op", Map.of(f.org(), "operator"));
            TestKafka.send(f.deviceSnapshot());
            TestKafka.send(f.checkSnapshot());
            await().atMost(WAIT).until(() -> given().auth().oauth2(operator).queryParam("check_id", f.check())
                    .get("/api/v1/alert-settings").then().extract().jsonPath().getList("id").size() == 2);
            String hook = given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("organization_id", f.org(), "url", "http://127.0.0.2:9/hook", "secret", SECRET))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getString("id");
            // what a DNS name pointing inside after creation amounts to: the stored target now is loopback
            pool.preparedQuery("UPDATE webhook SET url = $2 WHERE id = $1")
                    .execute(Tuple.of(UUID.fromString(hook), "http://127.0.0.1:" + internal.getAddress().getPort() + "/"))
                    .await().atMost(Duration.ofSeconds(10));
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("check_id", f.check(), "field", "retransmits", "operator", ">", "threshold", 100,
                            "tolerance", "PT0S"))
                    .post("/api/v1/alert-settings").then().statusCode(201);
            TestKafka.send(f.iperf3Retransmits(Instant.parse("2026-03-01T02:00:00Z"), 500));

            await().atMost(WAIT).untilAsserted(() -> {
                JsonPath log = given().auth().oauth2(operator).get("/api/v1/webhooks/" + hook + "/deliveries")
                        .then().statusCode(200).extract().jsonPath();
                assertThat(log.getList("last_error", String.class)).isNotEmpty()
                        .allSatisfy(e -> assertThat(e).startsWith("refused: internal address"));
                assertThat(log.getList("[0].attempt_log.status_code")).containsOnlyNulls();
            });
            assertThat(calls.get()).isZero();
        } finally {
            internal.stop(0);
        }
    }
}
