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
     * The value of one field as {@link #fields()} has it (0/1 flags as 0.0/1.0), null when it has none or the name is
     * not a field of this type: for a reader of a few fields per result (alert's evaluation), without the map.
     */
    Double field(String name);

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
