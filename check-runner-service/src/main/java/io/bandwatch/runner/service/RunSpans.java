package io.bandwatch.runner.service;

import io.bandwatch.platform.tracing.Traces;
import io.bandwatch.runner.repository.CheckRepository.Claim;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;

/**
 * The span of one run ({@code check run}) and its {@code claim}: in the trace of the "run now" request the run
 * serves (the request's {@code traceparent}, kept with the pending request in {@code checks}), a new trace for a
 * scheduled run. It starts when the claim statement started, so the time a request waited for a free slot shows as
 * the gap before it; {@link CheckRunner} adds the lease wait, SSH, iperf3 and fping spans inside it, and the result
 * published on {@code check.results} carries its context.
 */
final class RunSpans {

    static final AttributeKey<String> CHECK_ID = AttributeKey.stringKey("bandwatch.check.id");
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("bandwatch.run.id");
    static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("bandwatch.run.trigger");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("bandwatch.result.status");

    private RunSpans() {
    }

    /** Starts the run's span (end it) and records the claim that took it, from {@code claimFrom} to {@code claimTo}. */
    static Span start(Claim claim, Instant claimFrom, Instant claimTo) {
        Tracer tracer = Traces.tracer();
        Span run = tracer.spanBuilder("check run").setParent(Traces.context(claim.traceParent()))
                .setStartTimestamp(claimFrom).setAttribute(CHECK_ID, claim.checkId().toString())
                .setAttribute(RUN_ID, claim.runId().toString()).setAttribute(TRIGGER, claim.trigger()).startSpan();
        tracer.spanBuilder("claim").setParent(Context.root().with(run)).setStartTimestamp(claimFrom).startSpan()
                .end(claimTo);
        return run;
    }
}
