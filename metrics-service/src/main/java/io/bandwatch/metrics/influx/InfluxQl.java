package io.bandwatch.metrics.influx;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.domain.InfluxQLQuery;
import com.influxdb.query.InfluxQLQueryResult;
import io.bandwatch.metrics.config.InfluxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.exceptions.InfluxException;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Every read and every schema statement goes through the client's InfluxQL API (POST /query, CSV), so the
 * same code runs on InfluxDB 1.8, 2.x (DBRP mapping) and 3.x. Identifiers and strings are quoted here.
 */
@ApplicationScoped
public class InfluxQl {

    private static final Pattern SAFE_DURATION = Pattern.compile("^[0-9]+(ns|u|µ|ms|s|m|h|d|w)$|^INF$");

    /** Answers are mostly numbers: the fast double parser reads them in about half the time of the JDK's. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);

    /** InfluxDB 1.x answers {@code /query} as MessagePack when asked with exactly this {@code Accept}. */
    static final String MSGPACK = "application/x-msgpack";

    /** The same answer structure as the JSON one (maps, arrays, strings, numbers), read into the same tree. */
    private static final ObjectMapper MESSAGE_PACK = new ObjectMapper(new MessagePackFactory());

    private final InfluxDBClient client;
    private final InfluxConfig config;
    private final OkHttpClient http;
    private final HttpUrl queryUrl;

    InfluxQl(InfluxDBClient client, InfluxConfig config) {
        this.client = client;
        this.config = config;
        this.http = new OkHttpClient.Builder().connectTimeout(config.timeout()).readTimeout(config.timeout())
                .writeTimeout(config.timeout()).build();
        HttpUrl base = HttpUrl.parse(config.url());
        if (base == null) {
            throw new IllegalArgumentException("bandwatch.influx.url: not an HTTP URL: " + config.url());
        }
        this.queryUrl = base.newBuilder().addPathSegment("query").build();
    }

    /**
     * Runs several statements in one request (one round trip, InfluxDB runs them in order) and returns each
     * statement's result by position: the object with {@code series} (absent when it has no rows), times in epoch
     * milliseconds. JSON or MessagePack, not the client's CSV: CSV leaves out a statement without rows, so the
     * answers could not be told apart. Any failure, of the call or of one statement, is an {@link InfluxException}.
     * <p>
     * The answer is asked for uncompressed ({@code Accept-Encoding: identity}): OkHttp otherwise asks for gzip on its
     * own, and InfluxDB 1.x then compresses every answer. For a year's charts (140-400 KB of JSON) that took InfluxDB
     * longer than running the statements: the same query took 7.5-12 ms uncompressed and 18-30 ms with gzip (min of
     * 12 with {@code curl}, issue 14, README "ChartsBench"); InfluxDB sits next to the service, where sending the
     * bytes as they are costs less than packing them.
     * <p>
     * It is asked for as MessagePack ({@code Accept: application/x-msgpack}, InfluxDB 1.5 and later; the same maps
     * and arrays as the JSON answer, numbers as 8-byte floats and integers instead of decimal text). InfluxDB 1.6
     * makes a year's chart answer in about a third less time than the JSON one (the same statements, alternating,
     * with {@code curl}: p50 18 against 27 ms, min 10.6 against 16.0; issue 14, README "ChartsBench"), and reading
     * binary numbers costs less here than parsing decimals. A server that answers JSON anyway (its
     * {@code Content-Type} says so) is read as JSON.
     */
    public Answers queryAll(List<String> statements) {
        RequestBody body = new FormBody.Builder().add("db", config.database()).add("epoch", "ms")
                .add("q", String.join(";\n", statements)).build();
        Request.Builder request = new Request.Builder().url(queryUrl).post(body).header("Accept", MSGPACK)
                .header("Accept-Encoding", "identity");
        config.token().ifPresent(token -> request.header("Authorization", "Token " + token));
        long started = System.nanoTime();
        byte[] bytes;
        boolean msgpack;
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody content = response.body();
            if (!response.isSuccessful() || content == null) {
                throw new InfluxException("InfluxDB answered " + response.code() + " to a query");
            }
            MediaType type = content.contentType();
            msgpack = type != null && MSGPACK.equals(type.type() + "/" + type.subtype());
            bytes = content.bytes();
        } catch (IOException e) {
            throw new InfluxException(e);
        }
        long received = System.nanoTime();
        JsonNode answer;
        try {
            answer = (msgpack ? MESSAGE_PACK : JSON).readTree(bytes);
        } catch (IOException e) {
            throw new InfluxException(e);
        }
        long parsed = System.nanoTime();
        List<JsonNode> results = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            results.add(null);
        }
        for (JsonNode result : answer.path("results")) {
            if (result.hasNonNull("error")) {
                throw new InfluxException("InfluxDB refused a query: " + result.get("error").asText());
            }
            int id = result.path("statement_id").asInt(-1);
            if (id >= 0 && id < results.size()) {
                results.set(id, result);
            }
        }
        if (results.contains(null)) {
            throw new InfluxException("InfluxDB answered " + answer.path("results").size() + " of " + statements.size()
                    + " statements" + (answer.hasNonNull("error") ? ": " + answer.get("error").asText() : ""));
        }
        return new Answers(results, received - started, parsed - received, bytes.length);
    }

    /**
     * The result of each statement by position, and what the call cost: the round trip (request sent until the whole
     * answer is read: InfluxDB's work and the transfer) and the parse of the JSON, in nanoseconds, and its size.
     */
    public record Answers(List<JsonNode> results, long roundTripNanos, long parseNanos, int bytes) {
    }

    /** Runs one statement against the configured database, times in epoch milliseconds. */
    public InfluxQLQueryResult query(String command) {
        InfluxQLQuery query = new InfluxQLQuery(command, config.database())
                .setPrecision(InfluxQLQuery.InfluxQLPrecision.MILLISECONDS);
        return client.getInfluxQLQueryApi().query(query);
    }

    /** A double-quoted identifier. */
    public static String ident(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A single-quoted string literal. */
    public static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    /** A duration literal of the configuration, refused unless it is InfluxQL duration syntax. */
    public static String duration(String value, String key) {
        if (!SAFE_DURATION.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": not an InfluxQL duration (e.g. 30d, 52w, INF): " + value);
        }
        return value;
    }
}
