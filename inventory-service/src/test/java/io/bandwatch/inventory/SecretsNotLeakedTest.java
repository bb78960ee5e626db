package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * SSH keys and passwords and iperf3 passwords go in and never come out: not in responses, not in the outbox or
 * on Kafka, not in the log (captured from the root logger, at DEBUG for the service), and not in clear in the
 * database.
 */
@QuarkusTest
class SecretsNotLeakedTest {

    @Inject
    Pool pool;

    static final class Capture extends Handler {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    line.append(' ').append(p);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(' ').append(t);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void secretsNeverAppearInResponsesEventsLogsOrClearStorage() {
        String sshPassword = "ssh-pw-" + UUID.randomUUID();
        String iperfPassword = "ip-" + UUID.randomUUID().toString().substring(0, 12);
        String keyMarker = Api.ED25519_KEY.lines().skip(2).findFirst().orElseThrow();
        List<String> secrets = List.of(sshPassword, iperfPassword, keyMarker, Api.RSA_PUBLIC_KEY_BODY.substring(64, 120));

        Capture capture = new Capture();
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> bodies = new ArrayList<>();
        UUID device;
        try (KafkaProbe devices = KafkaProbe.open("inventory.devices");
                KafkaProbe checks = KafkaProbe.open("inventory.checks")) {
            UUID org = Api.organization();
            String owner = Api.token(org, "owner");
            // create with a private key, read, update to a password, fail validation with secrets in the body
            Map<String, Object> body = Api.device(org, "secret-" + UUID.randomUUID());
            var created = as(owner).body(body).post("/api/v1/devices");
            bodies.add(created.asString());
            device = UUID.fromString(created.path("id"));
            bodies.add(as(owner).get("/api/v1/devices/" + device).asString());
            bodies.add(as(owner).get("/api/v1/devices").asString());
            body.remove("private_key");
            body.put("password", sshPassword);
            bodies.add(as(owner).header("If-Match", "0").body(body).put("/api/v1/devices/" + device).asString());
            Map<String, Object> invalid = new LinkedHashMap<>(body);
            invalid.put("private_key", Api.ED25519_KEY);
            bodies.add(as(owner).header("If-Match", "1").body(invalid).put("/api/v1/devices/" + device).asString());
            invalid.put("password", Map.of("nested", sshPassword));
            bodies.add(as(owner).header("If-Match", "1").body(invalid).put("/api/v1/devices/" + device).asString());
            // an iperf3 check with credentials, an iperf3 server with credentials
            Map<String, Object> params = Map.of("username", "u1", "password", iperfPassword,
                    "rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
            var check = as(Api.token(org, "operator")).body(Map.of("device_id", device.toString(), "type", "iperf3",
                    "name", "auth", "params", params)).post("/api/v1/checks");
            bodies.add(check.asString());
            bodies.add(as(owner).get("/api/v1/checks/" + check.path("id")).asString());
            bodies.add(as(owner).body(Map.of("device_id", device.toString(), "type", "iperf3", "name", "bad",
                    "params", Map.of("username", "u1", "password", iperfPassword, "rsa_public_key", "x" + iperfPassword)))
                    .post("/api/v1/checks").asString());
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("organization_ids", List.of(org.toString()));
            server.put("host", Api.randomHost());
            server.put("username", "srv");
            server.put("password", iperfPassword);
            server.put("rsa_public_key", Api.RSA_PUBLIC_KEY_BODY);
            var createdServer = as(owner).body(server).post("/api/v1/iperf3-servers");
            bodies.add(createdServer.asString());
            bodies.add(as(owner).get("/api/v1/iperf3-servers").asString());
            bodies.add(as(owner).body(Map.of("username", "a", "password", sshPassword)).post("/api/v1/auth/token")
                    .asString());

            List<ConsumerRecord<String, String>> deviceEvents = devices.awaitKey(device.toString(), 2,
                    Duration.ofSeconds(20));
            List<ConsumerRecord<String, String>> checkEvents = checks.awaitKey(check.path("id"), 1, Duration.ofSeconds(20));
            for (ConsumerRecord<String, String> r : deviceEvents) {
                bodies.add(r.value());
            }
            for (ConsumerRecord<String, String> r : checkEvents) {
                bodies.add(r.value());
            }
            // the outbox and the stored rows
            for (Row row : pool.preparedQuery("SELECT payload::text AS p FROM outbox WHERE event_key = ANY($1)")
                    .execute(Tuple.of(new String[] {device.toString(), check.path("id"), createdServer.path("id")}))
                    .await().atMost(Duration.ofSeconds(10))) {
                bodies.add(String.valueOf(row.getString("p")));
            }
            Row stored = pool.preparedQuery("SELECT secret_ciphertext FROM device WHERE id = $1")
                    .execute(Tuple.of(device)).await().atMost(Duration.ofSeconds(10)).iterator().next();
            assertThat(stored.getString("secret_ciphertext")).startsWith("test1:");
            bodies.add(stored.getString("secret_ciphertext"));
            for (Row row : pool.preparedQuery("SELECT auth_secret FROM check_def WHERE device_id = $1")
                    .execute(Tuple.of(device)).await().atMost(Duration.ofSeconds(10))) {
                bodies.add(String.valueOf(row.getString("auth_secret")));
            }
        } finally {
            root.removeHandler(capture);
        }
        assertThat(bodies).hasSizeGreaterThan(15);
        assertThat(capture.lines).as("captured log lines").isNotEmpty();
        for (String secret : secrets) {
            assertThat(bodies).as("responses, events, outbox, stored rows").noneMatch(b -> b.contains(secret));
            assertThat(capture.lines).as("log").noneMatch(l -> l.contains(secret));
        }
        // the runner does get them, from the internal endpoint only
        as(io.bandwatch.testing.TestJwt.service("check-runner")).get("/api/v1/internal/checks/"
                + as(Api.superuser()).queryParam("device_id", device.toString()).queryParam("type", "iperf3")
                        .get("/api/v1/checks").path("items[0].id") + "/run-secrets")
                .then().statusCode(200).body("ssh.password", org.hamcrest.Matchers.equalTo(sshPassword))
                .body("iperf3_auth.password", org.hamcrest.Matchers.equalTo(iperfPassword));
    }
}
