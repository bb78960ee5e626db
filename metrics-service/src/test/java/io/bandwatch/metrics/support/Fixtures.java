package io.bandwatch.metrics.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Event;
import io.bandwatch.events.EventSerializer;
import io.bandwatch.events.EventType;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.PingMetrics;
import io.bandwatch.events.ResultError;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.ServerUsed;
import io.bandwatch.events.SshAuthMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real records on the real Kafka, and raw InfluxQL reads from the real InfluxDB (bypassing the service). */
public final class Fixtures {

    public static final String BOOTSTRAP = "127.0.0.1:9092";
    public static final String INFLUX_RAW = "http://127.0.0.1:8186";
    public static final String DATABASE = "bandwatch_test";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, Event> events;
    private static KafkaProducer<String, byte[]> raw;

    private Fixtures() {
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return props;
    }

    public static synchronized KafkaProducer<String, Event> events() {
        if (events == null) {
            events = new KafkaProducer<>(producerProps(), new StringSerializer(),
                    new EventSerializer<>("/bandwatch/metrics-service-test"));
        }
        return events;
    }

    public static synchronized KafkaProducer<String, byte[]> raw() {
        if (raw == null) {
            raw = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        }
        return raw;
    }

    /** Publishes events (acknowledged by Kafka before returning). */
    public static void publish(Event... list) {
        try {
            for (Event event : list) {
                EventType type = event.eventType();
                events().send(new ProducerRecord<>(type.topic(), type.keyOf(event).toString(), event));
            }
            events().flush();
        } catch (RuntimeException e) {
            throw e;
        }
    }

    public static void publishAll(List<? extends Event> list) {
        for (Event event : list) {
            EventType type = event.eventType();
            events().send(new ProducerRecord<>(type.topic(), type.keyOf(event).toString(), event));
        }
        events().flush();
    }

    public static DeviceSnapshot device(UUID id, UUID org, String name) {
        return new DeviceSnapshot(id, org, name, "198.18.0.10", 22, "root", SshAuthMethod.KEY, null, List.of(), true, 1,
                Instant.now());
    }

    public static CheckResult iperf3(UUID org, UUID device, UUID check, Instant finished, double sentBps,
            double receivedBps, long sentBytes) {
        Iperf3Metrics metrics = new Iperf3Metrics(1, sentBps, receivedBps, sentBytes, sentBytes - 1000, 3L,
                1.0e6, 1_250_000L, 0.25, 100L, 2L, 2.0);
        return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, finished.minusSeconds(20),
                finished, new ServerUsed(UUID.randomUUID(), "198.18.1.1", 5201, 7), ResultStatus.OK, null, metrics,
                null, "runner-test");
    }

    public static CheckResult iperf3Failed(UUID org, UUID device, UUID check, Instant finished) {
        return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.IPERF3, finished.minusSeconds(5),
                finished, null, ResultStatus.FAILED, new ResultError(ErrorCode.values()[0], "test failure"),
                Iperf3Metrics.failed(), null, "runner-test");
    }

    public static CheckResult ping(UUID org, UUID device, UUID check, Instant finished, PingMetrics metrics) {
        return new CheckResult(UUID.randomUUID(), check, device, org, CheckType.PING, finished.minusSeconds(1), finished,
                null, ResultStatus.OK, null, null, metrics, "runner-test");
    }

    /** Runs an InfluxQL statement on the raw influxd (not through the service nor the proxy); JSON answer. */
    public static JsonNode influxQl(String q) {
        return influxQl(INFLUX_RAW, q);
    }

    /** Runs an InfluxQL statement on the influxd at {@code baseUrl} (its own v1 API); JSON answer. */
    public static JsonNode influxQl(String baseUrl, String q) {
        try {
            String body = "db=" + DATABASE + "&epoch=ms&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/query"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes line protocol (millisecond timestamps) straight into a retention policy of the raw influxd. */
    public static void writeLines(String retentionPolicy, String lines) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(INFLUX_RAW + "/write?db=" + DATABASE + "&rp="
                    + URLEncoder.encode(retentionPolicy, StandardCharsets.UTF_8) + "&precision=ms"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(lines)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("write to " + retentionPolicy + ": " + response.statusCode() + " "
                        + response.body());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of the first series of the first result ({@code values}), empty when none. */
    public static JsonNode rows(String q) {
        return rows(INFLUX_RAW, q);
    }

    /** The rows of the first series of the first result on the influxd at {@code baseUrl}, empty when none. */
    public static JsonNode rows(String baseUrl, String q) {
        JsonNode series = influxQl(baseUrl, q).path("results").path(0).path("series");
        return series.isMissingNode() || series.isEmpty() ? JSON.createArrayNode() : series.path(0).path("values");
    }

    /** The number of points of a device in a measurement of the raw retention policy. */
    public static long count(String measurement, String field, UUID device) {
        JsonNode rows = rows("SELECT count(\"" + field + "\") FROM \"raw\".\"" + measurement + "\" WHERE \"device\" = '"
                + device + "'");
        return rows.isEmpty() ? 0 : rows.path(0).path(1).asLong();
    }
}
