package io.bandwatch.runner.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.ResultError;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.runner.repository.RunRepository;
import io.bandwatch.runner.repository.RunRepository.FinishedRun;
import io.bandwatch.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "What ran recently, and what failed?": GET /api/v1/runs without a device or check lists the runs of the caller's
 * organizations, newest first, in keyset pages (Link rel="next"), filtered by status and error code. Runs are written
 * through the runner's own repository into the real PostgreSQL.
 */
@QuarkusTest
class RunsListTest {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @Inject
    RunRepository runs;

    @Test
    void newestFirstPagedAndFilteredForTheCallersOrganizations() {
        UUID org = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // 7 runs of org (two with the same start time, so the page boundary falls on a tie), 2 of another org
        // a month ahead, so these are the newest runs of runner_test whatever earlier runs left there
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(30, ChronoUnit.DAYS);
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Instant started = base.plusSeconds(i == 4 ? 3 * 60 : i * 60L);
            boolean failed = i % 3 == 0;
            UUID id = finish(org, started, failed ? "failed" : "ok", failed ? (i == 0 ? "timeout" : "ssh_unreachable") : null);
            expected.add(id);
        }
        finish(other, base.plusSeconds(30), "failed", "ssh_unreachable");
        finish(other, base.plusSeconds(90), "ok", null);
        String viewer = TestJwt.user("viewer", Map.of(org, "viewer"));

        // the whole organization, newest first, in pages of 3 that follow the Link header
        List<String> seen = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        String url = "/api/v1/runs?limit=3";
        int pages = 0;
        while (url != null) {
            Response page = given().auth().oauth2(viewer).when().get(url).then().statusCode(200).extract().response();
            seen.addAll(page.jsonPath().getList("event_id", String.class));
            page.jsonPath().getList("started_at", String.class).forEach(s -> starts.add(Instant.parse(s)));
            assertThat(page.jsonPath().getList("organization_id", String.class)).containsOnly(org.toString());
            String link = page.header("Link");
            url = null;
            if (link != null) {
                Matcher m = NEXT.matcher(link);
                assertThat(m.find()).as("Link header %s", link).isTrue();
                url = m.group(1);
            }
            assertThat(++pages).isLessThanOrEqualTo(4);
        }
        assertThat(seen).hasSize(7).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(UUID::toString).toList());
        assertThat(starts).isSortedAccordingTo((a, b) -> b.compareTo(a));

        // filters: failed runs, one error code
        assertThat(given().auth().oauth2(viewer).queryParam("status", "failed").get("/api/v1/runs")
                .jsonPath().getList("status", String.class)).hasSize(3).containsOnly("failed");
        assertThat(given().auth().oauth2(viewer).queryParam("error_code", "ssh_unreachable").get("/api/v1/runs")
                .jsonPath().getList("error.code", String.class)).hasSize(2).containsOnly("ssh_unreachable");
        assertThat(given().auth().oauth2(viewer).queryParam("status", "ok").get("/api/v1/runs")
                .jsonPath().getList("status", String.class)).hasSize(4).containsOnly("ok");

        // a stranger sees none of them; a superuser sees both organizations' runs
        String stranger = TestJwt.user("stranger", Map.of(UUID.randomUUID(), "owner"));
        assertThat(given().auth().oauth2(stranger).get("/api/v1/runs").jsonPath().getList("$")).isEmpty();
        List<String> all = given().auth().oauth2(TestJwt.superuser("root")).queryParam("limit", 500)
                .get("/api/v1/runs").jsonPath().getList("organization_id", String.class);
        assertThat(all).contains(org.toString(), other.toString());
    }

    @Test
    void badFiltersAreProblemsNamingTheParameter() {
        String user = TestJwt.user("u", Map.of(UUID.randomUUID(), "viewer"));
        given().auth().oauth2(user).get("/api/v1/runs?status=broken").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        given().auth().oauth2(user).get("/api/v1/runs?error_code=Robert';DROP").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("error_code"));
        given().auth().oauth2(user).get("/api/v1/runs?cursor=yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
    }

    /** A finished ping run recorded as the engine records one: run row, claim release, result in the outbox. */
    private UUID finish(UUID org, Instant started, String status, String errorCode) {
        UUID eventId = UUID.randomUUID();
        UUID checkId = UUID.randomUUID();
        UUID deviceId = UUID.randomUUID();
        boolean ok = errorCode == null;
        CheckResult result = new CheckResult(eventId, checkId, deviceId, org, CheckType.PING, started,
                started.plusSeconds(2), null, ok ? ResultStatus.OK : ResultStatus.FAILED,
                ok ? null : new ResultError(ErrorCode.valueOf(errorCode.toUpperCase(java.util.Locale.ROOT)), "test run"),
                null, ok ? PingMetrics.unreachable() : null, "runs-list-test");
        assertThat(runs.finish(new FinishedRun(eventId, checkId, UUID.randomUUID(), deviceId, org, "ping",
                "schedule", "runs-list-test", started, started.plusSeconds(2), status, errorCode,
                errorCode == null ? null : "test run", null, null, null, null, null, null), result, null)).isTrue();
        return eventId;
    }
}
