package io.bandwatch.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intervals {@link InfluxWindows} computes are those the real InfluxDB answers for the same
 * {@code GROUP BY time(step) tz(zone)} (issue 14 item 5: the year chart no longer asks for them), in zones with and
 * without daylight saving, with half- and quarter-hour offsets, changes at local midnight, and for the steps that
 * read the daily rollups (1, 7 and 30 days): once with a point every 15 minutes (InfluxDB names every interval by the
 * window of its points) and once with a single point (it names them by its fill iterator). Where the windows cannot
 * be shown to be InfluxDB's, {@code starts} gives nothing and the service asks InfluxDB, which is also checked.
 */
class InfluxWindowsTest {

    static final String INFLUX = "http://127.0.0.1:8186";
    static final String DATABASE = "bandwatch_windows_test";
    static final String MEASUREMENT = "\"" + DATABASE + "\".\"autogen\".\"w\"";
    static final Instant NOW = Instant.parse("2026-12-03T08:41:07.123456Z");
    static final Instant DATA_FROM = Instant.parse("2025-11-20T00:00:00Z");
    static final Instant DATA_TO = Instant.parse("2026-12-10T00:00:00Z");
    static final Instant SINGLE = Instant.parse("2026-10-15T12:00:00Z");
    static final List<String> ZONES = List.of("UTC", "Europe/Rome", "Europe/London", "Europe/Dublin",
            "America/New_York", "America/Sao_Paulo", "America/Santiago", "America/Havana", "America/St_Johns",
            "Asia/Beirut", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Asia/Tehran", "Australia/Sydney",
            "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Etc/GMT+12", "Africa/Cairo");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void points() throws Exception {
        query("DROP DATABASE \"" + DATABASE + "\"");
        query("CREATE DATABASE \"" + DATABASE + "\"");
        StringBuilder lines = new StringBuilder();
        for (Instant t = DATA_FROM; t.isBefore(DATA_TO); t = t.plus(Duration.ofMinutes(15))) {
            lines.append("w,kind=dense v=1 ").append(t.toEpochMilli()).append('\n');
            if (lines.length() > 200_000) {
                write(lines);
            }
        }
        lines.append("w,kind=single v=1 ").append(SINGLE.toEpochMilli()).append('\n');
        write(lines);
    }

    @AfterAll
    static void drop() throws Exception {
        query("DROP DATABASE \"" + DATABASE + "\"");
    }

    @Test
    void yearAndLongCustomRangesHaveInfluxDbsIntervalsInEveryZone() throws Exception {
        List<String> computed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String zoneId : ZONES) {
            ZoneId zone = ZoneId.of(zoneId);
            for (Range range : List.of(new Range(NOW.minus(Duration.ofDays(365)), NOW, Duration.ofDays(1)),
                    new Range(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                            Duration.ofDays(1)),
                    new Range(NOW.minus(Duration.ofDays(100)), NOW, Duration.ofDays(1)),
                    new Range(NOW.minus(Duration.ofDays(365)), NOW, Duration.ofDays(7)),
                    new Range(NOW.minus(Duration.ofDays(365)), NOW, Duration.ofDays(30)))) {
                Optional<List<Long>> starts = InfluxWindows.starts(range.start, range.end, range.step, zone);
                String what = zoneId + " " + range;
                if (starts.isPresent()) {
                    computed.add(what);
                    assertThat(starts.get()).as("%s, a point every 15 minutes", what)
                            .isEqualTo(influxStarts("dense", range, zoneId));
                    assertThat(starts.get()).as("%s, one point", what).isEqualTo(influxStarts("single", range, zoneId));
                } else {
                    left.add(what);
                }
            }
        }
        System.out.printf("InfluxWindows: computed %d, left to InfluxDB %d: %s%n", computed.size(), left.size(), left);
        // the year chart of the common zones is computed (else the service still asks InfluxDB every time)
        for (String zoneId : List.of("UTC", "Europe/Rome", "America/New_York", "Asia/Kolkata", "Australia/Sydney")) {
            assertThat(InfluxWindows.starts(NOW.minus(Duration.ofDays(365)), NOW, Duration.ofDays(1),
                    ZoneId.of(zoneId))).as(zoneId).isPresent().get().asList().hasSize(366);
        }
    }

    @Test
    void rangesOutsideInfluxDbsNanosecondTimeAreLeftToInfluxDb() {
        assertThat(InfluxWindows.starts(Instant.parse("1600-01-01T00:00:00Z"), Instant.parse("1601-01-01T00:00:00Z"),
                Duration.ofDays(1), ZoneId.of("UTC"))).isEmpty();
    }

    record Range(Instant start, Instant end, Duration step) {
        @Override
        public String toString() {
            return "[" + start + ", " + end + ") step " + step.toDays() + "d";
        }
    }

    private static List<Long> influxStarts(String kind, Range range, String zone) throws Exception {
        JsonNode answer = query("SELECT count(\"v\") FROM " + MEASUREMENT + " WHERE \"kind\" = '" + kind
                + "' AND time >= '" + range.start + "' AND time < '" + range.end + "' GROUP BY time("
                + range.step.toDays() + "d) fill(null) tz('" + zone + "')");
        List<Long> starts = new ArrayList<>();
        for (JsonNode row : answer.path("results").path(0).path("series").path(0).path("values")) {
            starts.add(row.path(0).asLong());
        }
        assertThat(answer.path("results").path(0).has("error")).as(answer.toString()).isFalse();
        return starts;
    }

    private static JsonNode query(String q) throws Exception {
        String body = "db=" + DATABASE + "&epoch=ms&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(INFLUX + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void write(StringBuilder lines) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(INFLUX + "/write?db=" + DATABASE
                + "&precision=ms")).POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        lines.setLength(0);
    }
}
