package io.bandwatch.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The one home of the services' hand-made spans and of W3C trace context where Quarkus does not carry it itself
 * (the outbox rows and their relay, the runner's stored run requests, raw Kafka consumers). REST calls and the
 * SmallRye Kafka channels are traced by {@code quarkus-opentelemetry} on its own.
 *
 * <p>A trace context travels as the W3C {@code traceparent} value ({@code 00-<trace id>-<span id>-<flags>}), in a
 * Kafka record as the header {@link #TRACEPARENT} beside the CloudEvents {@code ce_*} headers, the header name the
 * SmallRye Kafka connector reads and writes. With tracing off ({@code quarkus.otel.sdk.disabled=true}, the default)
 * no span is recorded and nothing here fails; a context received from upstream is still passed on.
 */
public final class Traces {

    /** The W3C Trace Context header, in HTTP and in Kafka records. */
    public static final String TRACEPARENT = "traceparent";

    private static final String INSTRUMENTATION = "io.bandwatch";
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");
    /** The API's no-op tracer (no OpenTelemetry installed, e.g. outside Quarkus), a singleton. */
    private static final Tracer NO_OP = TracerProvider.noop().get(INSTRUMENTATION);
    /** {@code quarkus.otel.sdk.disabled}, as {@link TracingSwitch} found it at start (false outside Quarkus). */
    private static volatile boolean sdkDisabled;
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private Traces() {
    }

    /** The tracer of Bandwatch's own spans (the service's OpenTelemetry, a no-op one outside Quarkus). */
    public static Tracer tracer() {
        return GlobalOpenTelemetry.getTracer(INSTRUMENTATION);
    }

    /**
     * False while tracing is off here ({@code quarkus.otel.sdk.disabled=true}, or the API's no-op tracer): then
     * {@link #startBatch} reads only the first record, and a consumer need not keep the others for it.
     */
    public static boolean tracing() {
        return !sdkDisabled && tracer() != NO_OP;
    }

    /** Set at start from {@code quarkus.otel.sdk.disabled} ({@link TracingSwitch}). */
    static void sdkDisabled(boolean disabled) {
        sdkDisabled = disabled;
    }

    /** The {@code traceparent} of the current span; null outside a trace. */
    public static String traceparent() {
        return traceparent(Context.current());
    }

    /** The {@code traceparent} of the context's span; null when it has none. */
    public static String traceparent(Context context) {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The record's {@code traceparent} header; null when it has none. */
    public static String traceparent(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A context whose remote parent is the {@code traceparent} (the root context when it is null or malformed). */
    public static Context context(String traceparent) {
        return traceparent == null ? Context.root() : W3C.extract(Context.root(), traceparent, VALUE);
    }

    /** Adds the {@code traceparent} to the headers when there is one. */
    public static void addTo(Headers headers, String traceparent) {
        if (traceparent != null) {
            headers.remove(TRACEPARENT);
            headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A span over one batch of consumed records: the child of the first record that carries a trace context (with a
     * single result in flight, the usual case, the batch's span is in that result's trace), linked to the contexts of
     * the others. End it ({@link Span#end()}); make it current to trace what the batch does.
     *
     * <p>Only the parent is read before the span starts: the records are read until the first valid context. The
     * others' contexts (one W3C extraction each) and the batch's size are read only when the span is recorded (not
     * for a batch its sampler drops). With tracing off here ({@link #tracing()} false) the span is the first record's
     * context passed on, or none, and no other record is read: a producer that traces sets the context on every
     * record it sends, and reading the headers of every record of an untraced batch, to find none, cost 8 % of
     * alert's consumer threads.
     */
    public static Span startBatch(String name, Iterable<? extends ConsumerRecord<?, ?>> records) {
        Iterator<? extends ConsumerRecord<?, ?>> it = records.iterator();
        if (!tracing()) {
            return Span.wrap(it.hasNext() ? spanContext(it.next().headers()) : SpanContext.getInvalid());
        }
        SpanContext parent = null;
        while (parent == null && it.hasNext()) {
            SpanContext context = spanContext(it.next().headers());
            if (context.isValid()) {
                parent = context;
            }
        }
        SpanBuilder builder = tracer().spanBuilder(name).setSpanKind(SpanKind.CONSUMER);
        if (records instanceof Collection<?> all) {
            builder.setAttribute(BATCH_SIZE, (long) all.size()); // known without reading the records
        }
        if (parent == null) {
            builder.setNoParent();
        } else {
            builder.setParent(Context.root().with(Span.wrap(parent)));
        }
        Span span = builder.startSpan();
        if (!span.isRecording()) {
            return span;
        }
        if (!(records instanceof Collection<?>)) {
            long count = 0;
            for (ConsumerRecord<?, ?> ignored : records) {
                count++;
            }
            span.setAttribute(BATCH_SIZE, count);
        }
        Set<SpanContext> linked = new HashSet<>();
        while (it.hasNext()) { // the records after the parent: links, once each
            SpanContext context = spanContext(it.next().headers());
            if (context.isValid() && !context.equals(parent) && linked.add(context)) {
                span.addLink(context);
            }
        }
        return span;
    }

    /** The span context of a record's {@code traceparent} header; invalid when it has none or a malformed one. */
    private static SpanContext spanContext(Headers headers) {
        String traceparent = traceparent(headers);
        return traceparent == null ? SpanContext.getInvalid() : Span.fromContext(context(traceparent)).getSpanContext();
    }

    /** Work that a span measures. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T get() throws E;
    }

    /**
     * Runs the work in a child span of the current one; an exception it throws marks the span as an error and is
     * thrown on.
     */
    public static <T, E extends Exception> T inSpan(String name, Work<T, E> work) throws E {
        Span span = tracer().spanBuilder(name).startSpan();
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
