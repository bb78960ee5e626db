package io.bandwatch.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Range and syntax checks shared by the records' compact constructors. Messages name the JSON field. */
final class Validation {

    private Validation() {
    }

    static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new InvalidFieldException(field, "must be at least " + min + ", was " + value);
        }
        return value;
    }

    static int zeroOrOne(int value, String field) {
        if (value != 0 && value != 1) {
            throw new InvalidFieldException(field, "must be 0 or 1, was " + value);
        }
        return value;
    }

    static double finite(double value, String field) {
        if (!Double.isFinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number, was " + value);
        }
        return value;
    }

    static double range(double value, double min, double max, String field) {
        finite(value, field);
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** Null stays null; otherwise finite and not negative. */
    static Double nonNegative(Double value, String field) {
        if (value != null) {
            range(value, 0, Double.MAX_VALUE, field);
        }
        return value;
    }

    /** Null stays null; otherwise not negative. */
    static Long nonNegative(Long value, String field) {
        if (value != null) {
            atLeast(value, 0, field);
        }
        return value;
    }

    static Duration nonNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new InvalidFieldException(field, "must not be negative, was " + value);
        }
        return value;
    }

    static String notBlank(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new InvalidFieldException(field, "must not be blank");
        }
        return value;
    }

    /** Null stays null; otherwise not blank. */
    static String notBlankOrNull(String value, String field) {
        return value == null ? null : notBlank(value, field);
    }

    static String host(String value, String field) {
        Objects.requireNonNull(value, field);
        if (!HostNames.isValid(value)) {
            throw new InvalidFieldException(field, "not a host name or IP address: '" + value + "'");
        }
        return value;
    }

    /** An immutable copy; null becomes the empty list; null elements are rejected with their index. */
    static <T> List<T> list(List<T> values, String field) {
        return list(values, field, value -> true, "");
    }

    /**
     * An immutable copy; null becomes the empty list; null elements and elements failing the test
     * are rejected with the element's index, e.g. {@code tags[2]: must not be null}.
     */
    static <T> List<T> list(List<T> values, String field, Predicate<? super T> valid, String invalidReason) {
        if (values == null) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            if (value == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "must not be null");
            }
            if (!valid.test(value)) {
                throw new InvalidFieldException(field + "[" + i + "]", invalidReason + ": '" + value + "'");
            }
            copy.add(value);
        }
        return List.copyOf(copy);
    }
}
