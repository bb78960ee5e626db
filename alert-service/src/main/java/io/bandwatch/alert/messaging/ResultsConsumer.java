package io.bandwatch.alert.messaging;

import io.bandwatch.alert.service.EvaluationService;
import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.Topics;
import io.bandwatch.platform.messaging.DeadLetters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code check.results}: one transaction per result (see {@link EvaluationService}); the offset is committed
 * after it. Unreadable records go to {@code check.results.dlq} ({@link DeadLetters}).
 */
@ApplicationScoped
public class ResultsConsumer {

    @Inject
    EvaluationService evaluation;

    @Incoming(Topics.CHECK_RESULTS)
    public Uni<Void> result(ConsumerRecord<String, CheckResult> record) {
        return DeadLetters.readableOr(record, () -> {
            CheckResult result = record.value();
            if (result == null) {
                return Uni.createFrom().voidItem();
            }
            UUID eventId = CloudEventHeaders.id(record.headers()).map(UUID::fromString).orElse(result.eventId());
            return evaluation.process(eventId, record.topic(), result).replaceWithVoid();
        });
    }
}
