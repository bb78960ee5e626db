package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasItem;

import io.bandwatch.events.CheckRequest;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventJson;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Checks through REST: OpenWISP-shaped parameters, validation naming the field, schedules, run now. */
@QuarkusTest
class CheckCrudTest {

    static Map<String, Object> body(UUID device, String type, Object params) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", device.toString());
        body.put("type", type);
        body.put("params", params);
        return body;
    }

    @Test
    void anIperf3CheckNamesOnlyHostsWithServersOfItsOrganization() {
        UUID org = Api.organization();
        UUID other = Api.organization();
        String mine = Api.randomHost();
        String theirs = Api.randomHost();
        String nobodys = Api.randomHost();
        Api.createServer(org, mine);
        Api.createServer(other, theirs);
        UUID device = Api.createDevice(org, false);
        String operator = Api.token(org, "operator");

        for (String host : List.of(theirs, nobodys)) {
            as(operator).body(body(device, "iperf3", Map.of("host", List.of(mine, host)))).post("/api/v1/checks")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("params.host"))
                    .body("errors[0].message", containsString("'" + host + "'"))
                    .body("errors[0].message", not(containsString(mine)));
        }
        String id = as(operator).body(body(device, "iperf3", Map.of("host", List.of(mine)))).post("/api/v1/checks")
                .then().statusCode(201).extract().path("id");
        // an update may not name another organization's server either
        as(operator).header("If-Match", "0").body(body(device, "iperf3", Map.of("host", List.of(theirs))))
                .put("/api/v1/checks/" + id).then().statusCode(400).body("errors[0].field", equalTo("params.host"));
        // once the other organization shares its server, the host is the check's organization's too
        String serverId = as(Api.token(other, "owner")).get("/api/v1/iperf3-servers?organization_id=" + other).jsonPath()
                .getString("items.find { it.host == '" + theirs + "' }.id");
        as(Api.superuser()).header("If-Match", "0").body(Map.of("organization_ids", List.of(other.toString(),
                org.toString()), "host", theirs, "port", 5201)).put("/api/v1/iperf3-servers/" + serverId)
                .then().statusCode(200);
        as(operator).header("If-Match", "0").body(body(device, "iperf3", Map.of("host", List.of(theirs))))
                .put("/api/v1/checks/" + id).then().statusCode(200);
    }

    @Test
    void lifecycle() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        String operator = Api.token(org, "operator");
        // the check's hosts have iperf3 servers of its organization (else 400 on params.host)
        String ipv6 = String.format("2001:db8::%x:%x", (int) (Math.random() * 0xffff), (int) (Math.random() * 0xffff));
        String name = Api.randomHost();
        Api.createServer(org, name);
        Api.createServer(org, ipv6);
        Map<String, Object> params = Map.of("host", List.of(name, ipv6),
                "client_options", Map.of("port", 5209, "time", 20, "reverse", true,
                        "udp", Map.of("bitrate", "50M")));
        Map<String, Object> body = body(device, "iperf3", params);
        body.put("schedule", Map.of("cron", "*/5 0-5 * * *", "time_zone", "Europe/Rome", "random_slip", "PT2M"));
        String id = as(operator).body(body).post("/api/v1/checks").then().statusCode(201)
                .body("name", equalTo("iperf3")).body("active", equalTo(true))
                .body("effective_params.client_options.port", equalTo(5209))
                .body("effective_params.client_options.udp.bitrate", equalTo("50M"))
                .body("effective_params.client_options.udp.length", equalTo("0"))
                .body("effective_params.client_options.tcp.length", equalTo("128K"))
                .body("schedule.time_zone", equalTo("Europe/Rome")).extract().path("id");
        as(operator).body(body).post("/api/v1/checks").then().statusCode(409).body("errors[0].field", equalTo("name"));
        // update: interval schedule, inactive
        body.put("schedule", Map.of("interval", "PT1H"));
        body.put("active", false);
        as(operator).header("If-Match", "0").body(body).put("/api/v1/checks/" + id).then().statusCode(200)
                .body("schedule.interval", equalTo("PT1H")).body("schedule.cron", equalTo(null))
                .body("active", equalTo(false)).body("version", equalTo(1));
        // an inactive check cannot run now
        as(operator).post("/api/v1/checks/" + id + "/run").then().statusCode(409);
        // list filters
        assertThat(as(Api.token(org, "viewer")).queryParam("type", "iperf3").queryParam("active", false)
                .get("/api/v1/checks").jsonPath().getList("items.id", String.class)).containsExactly(id);
        as(operator).delete("/api/v1/checks/" + id).then().statusCode(204);
        as(operator).get("/api/v1/checks/" + id).then().statusCode(404);
    }

    @Test
    void twoOperatorsCannotSilentlyOverwriteEachOther() throws Exception {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        UUID check = Api.createCheck(org, device, "ping", Map.of("count", 3));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int count : List.of(4, 6)) {
                Map<String, Object> body = body(device, "ping", Map.of("count", count));
                body.put("name", as(Api.token(org, "viewer")).get("/api/v1/checks/" + check).path("name"));
                answers.add(pool.submit(() -> as(Api.token(org, "operator")).header("If-Match", "\"0\"").body(body)
                        .put("/api/v1/checks/" + check).statusCode()));
            }
            List<Integer> codes = new java.util.ArrayList<>();
            for (var answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdown();
        }
        as(Api.token(org, "viewer")).get("/api/v1/checks/" + check).then().body("version", equalTo(1));
    }

    @Test
    void invalidParametersAreRejectedNamingTheField() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        String operator = Api.token(org, "operator");
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("client_options", Map.of("time", 5000)), "params.client_options.time");
        cases.put(Map.of("client_options", Map.of("parallel", 0)), "params.client_options.parallel");
        cases.put(Map.of("client_options", Map.of("port", "5201")), "params.client_options.port");
        cases.put(Map.of("client_options", Map.of("tcp", Map.of("bitrate", "10M; rm -rf /"))),
                "params.client_options.tcp.bitrate");
        cases.put(Map.of("client_options", Map.of("window", "huge")), "params.client_options.window");
        cases.put(Map.of("client_options", Map.of("reverse", true, "bidirectional", true)),
                "params.client_options.bidirectional");
        cases.put(Map.of("client_options", Map.of("nagle", false)), "params.client_options.nagle");
        cases.put(Map.of("hosts", List.of("x")), "params.hosts");
        cases.put(Map.of("host", List.of("bad host!")), "params.host[0]");
        cases.put(Map.of("username", "u"), "params.password");
        cases.put(Map.of("username", "this-user-name-is-longer-than-20", "password", "p",
                "rsa_public_key", Api.RSA_PUBLIC_KEY_BODY), "params.username");
        cases.forEach((params, field) -> as(operator).body(body(device, "iperf3", params)).post("/api/v1/checks")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field)));
        as(operator).body(body(device, "ping", Map.of("count", 50))).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("params.count"));
        as(operator).body(body(device, "ping", Map.of("ttl", 5))).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("params.ttl"));
        Map<String, Object> badSchedule = body(device, "ping", Map.of());
        badSchedule.put("schedule", Map.of("cron", "every day"));
        as(operator).body(badSchedule).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("schedule.cron"));
        // the shape of a cron but nothing the runner can schedule: refused with cron-utils' reason, not 201
        badSchedule.put("schedule", Map.of("cron", "*/0 * * * *"));
        as(operator).body(badSchedule).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("schedule.cron"))
                .body("errors[0].message", startsWith("not a cron expression the runner can schedule: "));
        badSchedule.put("schedule", Map.of("cron", "0 1 * * *", "time_zone", "Mars/Olympus"));
        as(operator).body(badSchedule).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("schedule.time_zone"));
        badSchedule.put("schedule", Map.of("cron", "0 1 * * *", "interval", "PT5M"));
        as(operator).body(badSchedule).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("schedule"));
        as(operator).body(body(device, "traceroute", Map.of())).post("/api/v1/checks").then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
    }

    @Test
    void runNowPublishesACheckRequest() {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        UUID check = Api.createCheck(org, device, "ping", Map.of("count", 3));
        try (KafkaProbe probe = KafkaProbe.open("check.requests")) {
            String requestId = as(Api.token(org, "operator")).post("/api/v1/checks/" + check + "/run")
                    .then().statusCode(202).body("check_id", equalTo(check.toString())).extract().path("request_id");
            ConsumerRecord<String, String> record = probe.awaitKey(device.toString(), 1, Duration.ofSeconds(20)).get(0);
            CheckRequest request = EventJson.read(record.value(), CheckRequest.class);
            assertThat(request.eventId().toString()).isEqualTo(requestId);
            assertThat(request.checkId()).isEqualTo(check);
            assertThat(request.organizationId()).isEqualTo(org);
            assertThat(new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("io.bandwatch.check.request.v1");
            assertThat(new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo(requestId);
        }
        // a viewer may not run checks
        as(Api.token(org, "viewer")).post("/api/v1/checks/" + check + "/run").then().statusCode(403);
    }
}
