package io.bandwatch.metrics.messaging;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CloudEventHeaders;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventType;
import io.bandwatch.events.Topics;
import io.bandwatch.metrics.service.DeviceDirectory;
import io.bandwatch.metrics.service.PointMapper;
import io.bandwatch.metrics.service.ResultWriter;
import io.bandwatch.platform.messaging.DeadLetters;
import io.bandwatch.platform.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code check.results} in batches: one InfluxDB write per batch (line protocol built straight from the
 * results), and the batch's offsets are committed only after InfluxDB acknowledged it (the method's Uni completes
 * after the write). A few batches are processed at once, so writes are in flight while the next batch is read. While InfluxDB is down the
 * write waits and retries, so nothing is committed, and the connector pauses fetching once its buffer is full.
 * A record that can never be written (not a readable check result, or refused by InfluxDB with 400) goes to
 * {@code check.results.dlq} with the original bytes, key and headers plus {@code dead-letter-reason}; it is
 * committed only after the dead-letter topic acknowledged it. Duplicates are harmless: the same result is the
 * same point.
 */
@ApplicationScoped
public class CheckResultConsumer {

    /** The dead-letter headers every consumer sets (platform {@link DeadLetters}). */
    public static final String HEADER_REASON = DeadLetters.REASON;
    public static final String HEADER_TOPIC = DeadLetters.TOPIC;
    public static final String HEADER_PARTITION = DeadLetters.PARTITION;
    public static final String HEADER_OFFSET = DeadLetters.OFFSET;

    /** The worker pool of {@link #consume}; its size is the number of batches in flight. */
    public static final String WRITER_POOL = "check-results-writer";

    private final ResultWriter writer;
    private final DeviceDirectory devices;
    private final MutinyEmitter<byte[]> deadLetters;
    private final Counter deadLettered;
    private final io.micrometer.core.instrument.DistributionSummary batchSize;
    private final io.micrometer.core.instrument.Timer batchTime;

    CheckResultConsumer(ResultWriter writer, DeviceDirectory devices,
            @Channel(Topics.CHECK_RESULTS_DLQ) MutinyEmitter<byte[]> deadLetters, MeterRegistry registry) {
        this.writer = writer;
        this.devices = devices;
        this.deadLetters = deadLetters;
        this.deadLettered = Counter.builder("bandwatch.metrics.results.dead_lettered")
                .description("check results sent to check.results.dlq").register(registry);
        this.batchSize = io.micrometer.core.instrument.DistributionSummary.builder("bandwatch.metrics.batch.size")
                .description("check results per consumed batch").register(registry);
        this.batchTime = io.micrometer.core.instrument.Timer.builder("bandwatch.metrics.batch.time")
                .description("time to read, write and dead-letter one batch").register(registry);
    }

    /**
     * Up to {@code smallrye.messaging.worker.check-results-writer.max-concurrency} batches at once (not in order), so
     * that one batch's write is in flight while the next one is read and turned into line protocol; the throttled
     * commit strategy still commits an offset only once every record before it is processed.
     */
    @Incoming(Topics.CHECK_RESULTS)
    @Blocking(value = WRITER_POOL, ordered = false)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        long start = System.nanoTime();
        batchSize.record(records.count());
        List<ConsumerRecord<String, byte[]>> accepted = new ArrayList<>(records.count());
        List<String> points = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            CheckResult result;
            try {
                result = EventJson.read(record.value(), CheckResult.class);
                CloudEventHeaders.type(record.headers()).filter(t -> t != EventType.CHECK_RESULT).ifPresent(t -> {
                    throw new IllegalArgumentException("ce_type is " + t.ceType() + ", expected "
                            + EventType.CHECK_RESULT.ceType());
                });
            } catch (RuntimeException e) {
                deadLetter(record, "not a readable check result: " + e.getMessage());
                continue;
            }
            devices.learnOrganization(result.deviceId(), result.organizationId());
            accepted.add(record);
            points.add(PointMapper.line(result));
        }
        List<ResultWriter.Rejected> rejects;
        Span write = Traces.startBatch("influxdb write", records);
        try (Scope scope = write.makeCurrent()) {
            rejects = writer.write(points);
        } finally {
            write.end();
        }
        for (ResultWriter.Rejected rejected : rejects) {
            deadLetter(accepted.get(rejected.index()), rejected.reason());
        }
        batchTime.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return Uni.createFrom().voidItem();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetters.sendMessageAndAwait(DeadLetters.message(record, Topics.CHECK_RESULTS_DLQ, reason));
        deadLettered.increment();
    }
}
