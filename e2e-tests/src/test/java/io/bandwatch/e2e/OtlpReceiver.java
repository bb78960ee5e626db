package io.bandwatch.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A collector in the test's process: an OTLP/HTTP endpoint ({@code POST /v1/traces}, protobuf, as the services'
 * exporter sends with {@code QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}) that keeps every span it receives
 * with the name of the service that sent it.
 */
final class OtlpReceiver implements AutoCloseable {

    /** A received span: service ({@code service.name}), ids in hex, name and links (trace id of each). */
    record Received(String service, String traceId, String spanId, String parentSpanId, String name,
            List<String> linkedTraces, long startNanos, long endNanos) {
        @Override
        public String toString() {
            return service + " " + name + " (" + (endNanos - startNanos) / 1_000_000 + " ms)";
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private static volatile OtlpReceiver session;

    /** The receiver of this test JVM ({@link OtlpSession} starts it before the first test). */
    static OtlpReceiver session() {
        OtlpReceiver r = session;
        if (r == null) {
            throw new IllegalStateException("no OTLP receiver: OtlpSession did not start one (see the test output)");
        }
        return r;
    }

    static void session(OtlpReceiver receiver) {
        session = receiver;
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("the OTLP receiver cannot listen on 127.0.0.1:" + port, e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                if (!exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                keep(ExportTraceServiceRequest.parseFrom(body));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = attribute(rs.getResource(), "service.name");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    List<String> links = new ArrayList<>();
                    s.getLinksList().forEach(l -> links.add(HEX.formatHex(l.getTraceId().toByteArray())));
                    spans.add(new Received(service, HEX.formatHex(s.getTraceId().toByteArray()),
                            HEX.formatHex(s.getSpanId().toByteArray()), HEX.formatHex(s.getParentSpanId().toByteArray()),
                            s.getName(), links, s.getStartTimeUnixNano(), s.getEndTimeUnixNano()));
                }
            }
        }
    }

    private static String attribute(Resource resource, String key) {
        for (KeyValue kv : resource.getAttributesList()) {
            if (kv.getKey().equals(key)) {
                return kv.getValue().getStringValue();
            }
        }
        return "?";
    }

    /** Every span received so far of the trace, in start order. */
    List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId))
                .sorted(java.util.Comparator.comparingLong(Received::startNanos)).toList();
    }

    /** Spans of other traces that link to this one (batch spans whose first record was of another trace). */
    List<Received> linking(String traceId) {
        return spans.stream().filter(s -> s.linkedTraces().contains(traceId)).toList();
    }

    int received() {
        return spans.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
