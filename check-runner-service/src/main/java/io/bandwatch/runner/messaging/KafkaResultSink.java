package io.bandwatch.runner.messaging;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.Topics;
import io.bandwatch.runner.service.ResultSink;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes results on {@code check.results}, key device id, and waits for the broker's acknowledgement. The record
 * carries the run's trace context ({@code traceparent}, written by the connector from the message's tracing
 * metadata: the emitter may send from another thread than the run's).
 */
@ApplicationScoped
public class KafkaResultSink implements ResultSink {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel(Topics.CHECK_RESULTS)
    MutinyEmitter<CheckResult> emitter;

    @Override
    public void publish(CheckResult result) {
        Message<CheckResult> message = Message.of(result).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.key().toString()).build()).addMetadata(TracingMetadata.withCurrent(Context.current()));
        emitter.sendMessage(message).await().atMost(SEND_TIMEOUT);
    }
}
