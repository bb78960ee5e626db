package io.bandwatch.events;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The metric fields of one run: what metrics-service stores and alert-service evaluates. */
public sealed interface Metrics permits Iperf3Metrics, PingMetrics {

    /** The check type that produces these metrics. */
    CheckType checkType();

    /**
     * The fields that have a value, field name to value as double (0/1 flags as 0.0/1.0), in the
     * order of {@link #fieldNames(CheckType)}. Unmodifiable.
     */
    Map<String, Double> fields();

    /**
     * Gives each field that has a value to {@code sink}, in the order of {@link #fields()}, without building a map:
     * for writers that visit every field of every result (metrics-service's line protocol).
     */
    void forEachField(FieldSink sink);

    /** A receiver of {@link #forEachField(FieldSink) fields}: name and value, the value unboxed. */
    @FunctionalInterface
    interface FieldSink {
        void field(String name, double value);
    }

    /** The fields a sink was given, as {@link #fields()} returns them. */
    static Map<String, Double> collect(Metrics metrics) {
        Map<String, Double> fields = new java.util.LinkedHashMap<>();
        metrics.forEachField(fields::put);
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** Every field a check type can produce, in storage order: iperf3 the 12, ping the 5. */
    static List<String> fieldNames(CheckType type) {
        return switch (Objects.requireNonNull(type, "type")) {
            case IPERF3 -> Iperf3Metrics.FIELD_NAMES;
            case PING -> PingMetrics.FIELD_NAMES;
        };
    }

    /** The check type producing a field, empty for an unknown field name. */
    static Optional<CheckType> typeOfField(String field) {
        for (CheckType type : CheckType.values()) {
            if (fieldNames(type).contains(field)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
