package io.bandwatch.inventory;

import static io.bandwatch.inventory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Four clients deleting at once, through REST on the real database: the same object deleted four times is one
 * 204 and three 404s, different objects are all 204, a device and its checks deleted together never fail; nothing
 * answers 500 (Hibernate Reactive used to fail on a row deleted under its session) and nothing hangs (two sessions
 * removing entities of one type at once completed each other's deletes: rows are deleted by query, see
 * CheckService.delete).
 */
@QuarkusTest
class ConcurrentDeleteTest {

    private static final int CLIENTS = 4;
    /** Rounds per test; {@code -Dconcurrent-delete.rounds=160} runs each case 20 times as often. */
    private static final int ROUNDS = Integer.getInteger("concurrent-delete.rounds", 8);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(CLIENTS);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Sends the DELETEs at the same moment, one per path; the status of each. */
    private static List<Integer> deleteAtOnce(String token, List<String> paths) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String path : paths) {
            answers.add(POOL.submit(() -> {
                start.await();
                return as(token).delete(path).statusCode();
            }));
        }
        start.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            codes.add(answer.get(60, TimeUnit.SECONDS));
        }
        return codes;
    }

    @Test
    void theSameCheckDeletedFourTimesAtOnceIsOne204AndThree404s() throws Exception {
        UUID org = Api.organization();
        UUID device = Api.createDevice(org, false);
        String operator = Api.token(org, "operator");
        for (int round = 0; round < ROUNDS; round++) {
            UUID check = Api.createCheck(org, device, "ping", Map.of("count", 3 + round));
            assertThat(deleteAtOnce(operator, List.of("/api/v1/checks/" + check, "/api/v1/checks/" + check,
                    "/api/v1/checks/" + check, "/api/v1/checks/" + check)))
                    .as("round %d", round).containsExactlyInAnyOrder(204, 404, 404, 404);
            as(operator).get("/api/v1/checks/" + check).then().statusCode(404);
        }
    }

    @Test
    void theSameDeviceOrServerDeletedFourTimesAtOnceIsOne204AndThree404s() throws Exception {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        for (int round = 0; round < ROUNDS; round++) {
            UUID device = Api.createDevice(org, true);
            String path = "/api/v1/devices/" + device;
            assertThat(deleteAtOnce(owner, List.of(path, path, path, path))).as("device, round %d", round)
                    .containsExactlyInAnyOrder(204, 404, 404, 404);
            UUID server = Api.createServer(org, Api.randomHost());
            path = "/api/v1/iperf3-servers/" + server;
            assertThat(deleteAtOnce(owner, List.of(path, path, path, path))).as("server, round %d", round)
                    .containsExactlyInAnyOrder(204, 404, 404, 404);
        }
    }

    @Test
    void differentDevicesDeletedAtOnceAreAll204() throws Exception {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        for (int round = 0; round < ROUNDS; round++) {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                paths.add("/api/v1/devices/" + Api.createDevice(org, true));
            }
            assertThat(deleteAtOnce(owner, paths)).as("round %d", round).containsOnly(204);
        }
    }

    @Test
    void aDeviceAndItsChecksDeletedAtOnceNeverFail() throws Exception {
        UUID org = Api.organization();
        String owner = Api.token(org, "owner");
        for (int round = 0; round < ROUNDS; round++) {
            UUID device = Api.createDevice(org, false);
            List<String> paths = new ArrayList<>(List.of("/api/v1/devices/" + device));
            for (int i = 1; i < CLIENTS; i++) {
                paths.add("/api/v1/checks/" + Api.createCheck(org, device, "ping", Map.of("count", 2 + i)));
            }
            List<Integer> codes = deleteAtOnce(owner, paths);
            assertThat(codes.get(0)).as("the device, round %d", round).isEqualTo(204);
            // a check is gone either way: deleted by its own DELETE (204) or with its device first (404)
            assertThat(codes.subList(1, CLIENTS)).as("its checks, round %d", round).allMatch(c -> c == 204 || c == 404);
            for (String path : paths) {
                as(owner).get(path).then().statusCode(404);
            }
        }
    }
}
