package io.bandwatch.e2e;

import static io.bandwatch.e2e.Stack.ALERT;
import static io.bandwatch.e2e.Stack.CONSOLE;
import static io.bandwatch.e2e.Stack.INVENTORY;
import static io.bandwatch.e2e.Stack.METRICS;
import static io.bandwatch.e2e.Stack.RUNNER;
import static io.bandwatch.e2e.Stack.get;
import static io.bandwatch.e2e.Stack.object;
import static io.bandwatch.e2e.Stack.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.e2e.Stack.Answer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Security issue, finding 4, end to end: an owner removes a member from an organization, and the member's token from
 * before the removal is refused that organization by all four running services, and through the console session
 * the member signed in with before, within 30 s (each service learns it from inventory's revocation topic; nothing
 * is asked of inventory per call). The member's other organization stays readable with the same token: the
 * removal ends one membership, not the sign-in.
 */
class RevocationJourneyTest {

    /** The bound: every service refuses the old token's now-forbidden calls within 30 s. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aRemovedMembersOldTokenIsRefusedByAllFourServicesAndTheConsoleWithin30Seconds() {
        Stack stack = new Stack();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String admin = Stack.token("admin", stack.adminPassword());
        String org = created(post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "e2e-revoke-" + suffix).put("enabled", true))).get("id").asText();
        String other = created(post(INVENTORY + "/api/v1/organizations", admin,
                object().put("name", "e2e-keep-" + suffix).put("enabled", true))).get("id").asText();
        // a device in each, so that metrics (which knows organizations from inventory.devices) has one to show
        Map<String, String> devices = Map.of(org, device(admin, org, "e2e-revoke-" + suffix, "198.18.200.1"),
                other, device(admin, other, "e2e-keep-" + suffix, "198.18.200.2"));

        String name = "member-" + suffix;
        String password = "member-" + UUID.randomUUID();
        ObjectNode user = object().put("username", name).put("password", password).put("superuser", false);
        ArrayNode memberships = user.putArray("memberships");
        memberships.addObject().put("organization_id", org).put("role", "viewer");
        memberships.addObject().put("organization_id", other).put("role", "viewer");
        String userId = created(post(INVENTORY + "/api/v1/users", admin, user)).get("id").asText();
        String token = Stack.token(name, password);
        String cookie = consoleSession(name, password);

        // what the member reads of the organization in each service (and through the console)
        Map<String, Function<String, Answer>> reads = new LinkedHashMap<>();
        reads.put("inventory-service", o -> get(INVENTORY + "/api/v1/organizations/" + o, token));
        reads.put("check-runner-service", o -> get(RUNNER + "/api/v1/capacity?organization_id=" + o, token));
        reads.put("metrics-service", o -> get(METRICS + "/api/v1/devices/" + devices.get(o) + "/charts?time=1d", token));
        reads.put("alert-service", o -> get(ALERT + "/api/v1/organizations/" + o + "/alert-defaults", token));
        reads.put("console", o -> Stack.getWithCookie(CONSOLE + "/console/api/inventory/organizations/" + o, cookie));
        // metrics learns the devices from inventory.devices: their charts are readable once it has
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> reads.get("metrics-service").apply(org).status() == 200
                        && reads.get("metrics-service").apply(other).status() == 200);
        reads.forEach((service, read) -> {
            assertThat(read.apply(org).status()).as("%s before the removal: %s", service, read.apply(org)).isEqualTo(200);
            assertThat(read.apply(other).status()).as("%s, the other organization", service).isEqualTo(200);
        });

        Answer removed = Stack.delete(INVENTORY + "/api/v1/organizations/" + org + "/members/" + userId, admin);
        assertThat(removed.status()).as("the owner removes the member: %s", removed).isEqualTo(204);
        long start = System.nanoTime();

        // the removed organization is now foreign to the old token: 404, as an unknown one
        Map<String, Duration> refusedAfter = new LinkedHashMap<>();
        await().atMost(LIMIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            reads.forEach((service, read) -> {
                if (!refusedAfter.containsKey(service) && read.apply(org).status() == 404) {
                    refusedAfter.put(service, Duration.ofNanos(System.nanoTime() - start));
                }
            });
            assertThat(refusedAfter).as("services refusing the removed organization so far").containsOnlyKeys(reads.keySet());
        });
        System.out.println("e2e: a removed member's old token refused after " + refusedAfter);
        assertThat(refusedAfter.values()).allMatch(took -> took.compareTo(LIMIT) <= 0);

        // the same token still reads the member's other organization everywhere: one membership ended
        reads.forEach((service, read) -> {
            Answer kept = read.apply(other);
            assertThat(kept.status()).as("%s, the other organization after the removal: %s", service, kept)
                    .isEqualTo(200);
        });
    }

    /** Signs in to the console as a browser does; answers the session cookie ({@code bw_session=<id>}). */
    private static String consoleSession(String name, String password) {
        Answer login = post(CONSOLE + "/console/api/session", null, object().put("username", name).put("password", password));
        assertThat(login.status()).as("console sign-in: %s", login).isEqualTo(200);
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String device(String admin, String org, String name, String address) {
        return created(post(INVENTORY + "/api/v1/devices", admin, object().put("organization_id", org).put("name", name)
                .put("address", address).put("ssh_user", "root").put("password", "e2e-" + UUID.randomUUID())
                .put("enabled", true).put("create_default_checks", false))).get("id").asText();
    }

    private static JsonNode created(Answer a) {
        assertThat(a.status()).as("created: %s", a).isEqualTo(201);
        return a.body();
    }
}
