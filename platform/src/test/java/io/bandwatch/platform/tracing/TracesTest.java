package io.bandwatch.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trace context where Quarkus does not carry it: traceparent values, Kafka headers, batch spans. */
class TracesTest {

    static final List<SpanData> ENDED = new CopyOnWriteArrayList<>();
    static OpenTelemetrySdk sdk;

    @BeforeAll
    static void sdk() {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ENDED.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        }).build()).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
    }

    @AfterAll
    static void reset() {
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    @Test
    void traceparentOfTheCurrentSpanAndBack() {
        assertThat(Traces.traceparent()).as("outside a trace").isNull();
        Span span = Traces.tracer().spanBuilder("request").startSpan();
        try (Scope scope = span.makeCurrent()) {
            String tp = Traces.traceparent();
            SpanContext sc = span.getSpanContext();
            assertThat(tp).isEqualTo("00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-01");
            SpanContext back = Span.fromContext(Traces.context(tp)).getSpanContext();
            assertThat(back.getTraceId()).isEqualTo(sc.getTraceId());
            assertThat(back.getSpanId()).isEqualTo(sc.getSpanId());
            assertThat(back.isRemote()).isTrue();
        } finally {
            span.end();
        }
        assertThat(Span.fromContext(Traces.context(null)).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(Traces.context("garbage")).getSpanContext().isValid()).as("malformed").isFalse();
    }

    @Test
    void headersCarryOneTraceparent() {
        ConsumerRecord<String, byte[]> r = record(null);
        Traces.addTo(r.headers(), null);
        assertThat(Traces.traceparent(r.headers())).isNull();
        Traces.addTo(r.headers(), tp("1", "a"));
        Traces.addTo(r.headers(), tp("2", "b"));
        assertThat(r.headers().headers(Traces.TRACEPARENT)).hasSize(1);
        assertThat(Traces.traceparent(r.headers())).isEqualTo(tp("2", "b"));
    }

    @Test
    void batchSpanIsAChildOfTheFirstTracedRecordAndLinksTheOthers() {
        ENDED.clear();
        List<ConsumerRecord<String, byte[]>> records = List.of(record(null), record(tp("1", "a")), record(tp("2", "b")),
                record(tp("1", "a")));
        Traces.startBatch("evaluate", records).end();
        SpanData batch = ENDED.stream().filter(s -> s.getName().equals("evaluate")).findFirst().orElseThrow();
        assertThat(batch.getTraceId()).isEqualTo("1".repeat(32));
        assertThat(batch.getParentSpanId()).isEqualTo("a".repeat(16));
        assertThat(batch.getLinks()).singleElement().satisfies(l -> assertThat(l.getSpanContext().getTraceId())
                .isEqualTo("2".repeat(32)));
        assertThat(batch.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(4L);

        Traces.startBatch("untraced", List.of(record(null))).end();
        SpanData root = ENDED.stream().filter(s -> s.getName().equals("untraced")).findFirst().orElseThrow();
        assertThat(root.getParentSpanContext().isValid()).as("a new trace").isFalse();
    }

    @Test
    void anUnsampledBatchPassesItsParentsTraceOnWithoutRecording() {
        ENDED.clear();
        String unsampled = "00-" + "3".repeat(32) + "-" + "c".repeat(16) + "-00";
        Span span = Traces.startBatch("evaluate", List.of(record(null), record(unsampled), record(tp("2", "b"))));
        span.end();
        assertThat(span.isRecording()).as("the parent's sampling decision holds").isFalse();
        assertThat(span.getSpanContext().getTraceId()).isEqualTo("3".repeat(32));
        assertThat(Traces.traceparent(Context.root().with(span))).startsWith("00-" + "3".repeat(32) + "-");
        assertThat(ENDED).as("nothing recorded").isEmpty();
    }

    @Test
    void withTracingOffTheFirstRecordsContextIsPassedOn() {
        GlobalOpenTelemetry.resetForTest(); // the API's no-op, as with quarkus.otel.sdk.disabled=true
        try {
            Span passed = Traces.startBatch("evaluate", List.of(record(tp("4", "d")), record(tp("2", "b"))));
            assertThat(passed.isRecording()).isFalse();
            assertThat(Traces.traceparent(Context.root().with(passed))).isEqualTo(tp("4", "d"));
            Span none = Traces.startBatch("evaluate", List.of(record(null), record(tp("2", "b"))));
            assertThat(none.getSpanContext().isValid()).as("only the first record is read").isFalse();
            assertThat(Traces.startBatch("evaluate", List.of()).getSpanContext().isValid()).isFalse();
        } finally {
            GlobalOpenTelemetry.resetForTest();
            GlobalOpenTelemetry.set(sdk);
        }
    }

    @Test
    void withTheSdkDisabledByQuarkusNothingIsRecordedAndTheFirstContextIsPassedOn() {
        ENDED.clear();
        Traces.sdkDisabled(true); // Quarkus's SDK that starts spans and exports none
        try {
            assertThat(Traces.tracing()).isFalse();
            Span passed = Traces.startBatch("evaluate", List.of(record(tp("4", "d")), record(tp("2", "b"))));
            passed.end();
            assertThat(Traces.traceparent(Context.root().with(passed))).isEqualTo(tp("4", "d"));
            assertThat(ENDED).isEmpty();
        } finally {
            Traces.sdkDisabled(false);
        }
        assertThat(Traces.tracing()).isTrue();
    }

    @Test
    void inSpanNestsAndMarksFailures() {
        ENDED.clear();
        Span outer = Traces.tracer().spanBuilder("check run").startSpan();
        try (Scope scope = outer.makeCurrent()) {
            assertThat(Traces.inSpan("fping", () -> 42)).isEqualTo(42);
            assertThatThrownBy(() -> Traces.inSpan("ssh connect", () -> {
                throw new java.io.IOException("refused");
            })).isInstanceOf(java.io.IOException.class);
        } finally {
            outer.end();
        }
        SpanData fping = ENDED.stream().filter(s -> s.getName().equals("fping")).findFirst().orElseThrow();
        SpanData ssh = ENDED.stream().filter(s -> s.getName().equals("ssh connect")).findFirst().orElseThrow();
        assertThat(fping.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
        assertThat(fping.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(ssh.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(ssh.getStatus().getDescription()).as("the class, never the message").isEqualTo("IOException");
    }

    private static String tp(String trace, String span) {
        return "00-" + trace.repeat(32) + "-" + span.repeat(16) + "-01";
    }

    private static ConsumerRecord<String, byte[]> record(String traceparent) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("check.results", 0, 0, "k", new byte[0]);
        if (traceparent != null) {
            r.headers().add(Traces.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }
}
