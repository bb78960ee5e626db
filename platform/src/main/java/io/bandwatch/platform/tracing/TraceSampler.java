package io.bandwatch.platform.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The services' sampler (a {@code Sampler} bean replaces {@code quarkus.otel.traces.sampler}): every trace that
 * starts with work (a REST request, a consumed record, a run) is kept whole ({@code parentbased_always_on}), but a
 * client call that starts a trace of its own is dropped: those are the background loops' database and Redis
 * statements (outbox relay passes, the runner's claim and heartbeat polls, lease gauges), several per second per
 * replica and of no use to an operator following a check.
 */
@Singleton
public class TraceSampler implements Sampler {

    private static final Sampler WORK = Sampler.parentBased(Sampler.alwaysOn());

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()) {
            return SamplingResult.drop();
        }
        return WORK.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "BandwatchSampler{drop root client spans, else " + WORK.getDescription() + "}";
    }
}
