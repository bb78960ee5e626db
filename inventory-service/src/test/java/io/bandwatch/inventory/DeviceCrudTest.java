package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.bandwatch.events.DeviceHealth;
import io.bandwatch.events.EventSerializer;
import io.bandwatch.events.HealthStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Devices through REST: CRUD, default checks, validation, conflicts, optimistic locking, lists, health. */
@QuarkusTest
class DeviceCrudTest {

    @Test
    void fullLifecycle() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        Map<String, Object> body = Api.device(org, "edge-1");
        Response created = as(owner).body(body).post("/api/v1/devices");
        created.then().statusCode(201).body("name", equalTo("edge-1")).body("auth_method", equalTo("key"))
                .body("health", equalTo("unknown")).body("version", equalTo(0)).body("private_key", nullValue());
        String id = created.path("id");
        assertThat(created.getHeader("Location")).endsWith("/api/v1/devices/" + id);
        assertThat(Api.etag(created)).isEqualTo("\"0\"");

        // default checks: ping every 5 minutes, iperf3 nightly
        JsonPath checks = as(owner).queryParam("device_id", id).queryParam("sort", "type")
                .get("/api/v1/checks").then().statusCode(200).extract().jsonPath();
        assertThat(checks.getList("items.type", String.class)).containsExactly("iperf3", "ping");
        assertThat(checks.getString("items[1].schedule.interval")).isEqualTo("PT5M");
        assertThat(checks.getString("items[0].schedule.cron")).isEqualTo("0 0 * * *");
        assertThat(checks.getInt("items[0].effective_params.client_options.time")).isEqualTo(10);

        // read, update with If-Match, stale If-Match, missing If-Match
        as(Api.token(org, "viewer")).get("/api/v1/devices/" + id).then().statusCode(200)
                .body("tags", equalTo(List.of("core", "site-a")));
        body.put("name", "edge-1b");
        body.put("ssh_port", 2222);
        body.remove("private_key");
        as(owner).header("If-Match", "\"0\"").body(body).put("/api/v1/devices/" + id).then().statusCode(200)
                .body("name", equalTo("edge-1b")).body("ssh_port", equalTo(2222)).body("version", equalTo(1))
                .body("auth_method", equalTo("key"));
        as(owner).header("If-Match", "\"0\"").body(body).put("/api/v1/devices/" + id).then().statusCode(412)
                .contentType("application/problem+json").body("errors[0].field", equalTo("If-Match"));
        as(owner).body(body).put("/api/v1/devices/" + id).then().statusCode(428);

        // switch to password login
        body.put("password", "s3cret-ssh-password");
        as(owner).header("If-Match", "1").body(body).put("/api/v1/devices/" + id).then().statusCode(200)
                .body("auth_method", equalTo("password")).body("password", nullValue());

        // delete: device and its checks are gone
        as(owner).delete("/api/v1/devices/" + id).then().statusCode(204);
        as(owner).get("/api/v1/devices/" + id).then().statusCode(404).contentType("application/problem+json");
        as(owner).queryParam("device_id", id).get("/api/v1/checks").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void optOutOfDefaultChecks() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        as(Api.token(org, "viewer")).queryParam("device_id", device.toString()).get("/api/v1/checks")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void validationProblemsNameTheField() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        Map<String, Object> body = Api.device(org, "bad");
        body.put("ssh_port", 70000);
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("ssh_port"));
        body = Api.device(org, "bad");
        body.put("address", "not an address;rm -rf /");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors[0].field", equalTo("address"));
        body = Api.device(org, "bad");
        body.put("private_key", "not a key");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400)
                .body("errors[0].field", equalTo("private_key"));
        body = Api.device(org, "bad");
        body.remove("private_key");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400)
                .body("errors[0].field", equalTo("private_key"));
        body = Api.device(org, "bad");
        body.put("colour", "blue");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400).body("errors[0].field", equalTo("colour"));
        body = Api.device(org, "bad");
        body.put("host_key_fingerprint", "MD5:aa:bb");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(400)
                .body("errors[0].field", equalTo("host_key_fingerprint"));
        body = Api.device(org, "v6");
        body.put("address", "2001:db8::1");
        as(owner).body(body).post("/api/v1/devices").then().statusCode(201);
    }

    @Test
    void duplicateNameIsConflict() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        as(owner).body(Api.device(org, "same")).post("/api/v1/devices").then().statusCode(201);
        as(owner).body(Api.device(org, "same")).post("/api/v1/devices").then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        // the same name in another organization is fine
        UUID other = Api.organization();
        as(Api.token(other, "owner")).body(Api.device(other, "same")).post("/api/v1/devices").then().statusCode(201);
    }

    @Test
    void listPaginatesFiltersAndSorts() {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = Api.device(org, "n" + i);
            body.put("tags", i % 2 == 0 ? List.of("even") : List.of("odd"));
            body.put("enabled", i != 4);
            body.put("create_default_checks", false);
            as(owner).body(body).post("/api/v1/devices").then().statusCode(201);
        }
        String viewer = Api.token(org, "viewer");
        JsonPath page = as(viewer).queryParam("size", 2).queryParam("page", 1).queryParam("sort", "-name")
                .get("/api/v1/devices").then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("total")).isEqualTo(5);
        assertThat(page.getList("items.name", String.class)).containsExactly("n2", "n1");
        assertThat(as(viewer).queryParam("tag", "even").get("/api/v1/devices").jsonPath()
                .getList("items.name", String.class)).containsExactly("n0", "n2", "n4");
        assertThat(as(viewer).queryParam("enabled", false).get("/api/v1/devices").jsonPath()
                .getList("items.name", String.class)).containsExactly("n4");
        assertThat(as(viewer).queryParam("organization_id", org.toString()).queryParam("tag", "odd")
                .get("/api/v1/devices").jsonPath().getList("items.name", String.class)).containsExactly("n1", "n3");
        as(viewer).queryParam("sort", "password").get("/api/v1/devices").then().statusCode(400)
                .body("errors[0].field", equalTo("sort"));
        as(viewer).queryParam("size", 100000).get("/api/v1/devices").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void healthComesFromTheDevicesHealthTopic() throws Exception {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        UUID healthy = Api.createDevice(org, false);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaProbe.BOOTSTRAP);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class.getName());
        try (KafkaProducer<String, DeviceHealth> producer = new KafkaProducer<>(p)) {
            Instant t = Instant.parse("2026-05-01T02:00:00Z");
            DeviceHealth critical = new DeviceHealth(device, org, HealthStatus.CRITICAL, t, "reachable < 1");
            DeviceHealth older = new DeviceHealth(device, org, HealthStatus.OK, t.minusSeconds(60), null);
            producer.send(new ProducerRecord<>("devices.health", device.toString(), critical)).get();
            producer.send(new ProducerRecord<>("devices.health", device.toString(), critical)).get(); // duplicate
            producer.send(new ProducerRecord<>("devices.health", device.toString(), older)).get(); // out of date
            producer.send(new ProducerRecord<>("devices.health", healthy.toString(),
                    new DeviceHealth(healthy, org, HealthStatus.OK, t, null))).get();
        }
        String viewer = Api.token(org, "viewer");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(viewer)
                .get("/api/v1/devices/" + healthy).then().body("health", equalTo("ok")));
        as(viewer).get("/api/v1/devices/" + device).then().body("health", equalTo("critical"));
        assertThat(as(viewer).queryParam("health", "critical").get("/api/v1/devices").jsonPath()
                .getList("items.id", String.class)).containsExactly(device.toString());
        assertThat(as(viewer).queryParam("health", "ok").get("/api/v1/devices").jsonPath()
                .getList("items.id", String.class)).containsExactly(healthy.toString());
        UUID unknown = Api.createDevice(org, false);
        assertThat(as(viewer).queryParam("health", "unknown").get("/api/v1/devices").jsonPath()
                .getList("items.id", String.class)).containsExactly(unknown.toString());
    }
}
