package io.bandwatch.events;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The size syntax iperf3 accepts for {@code -b}, {@code -l}, {@code -w}, {@code -n} and {@code -k}:
 * digits with an optional fraction and an optional K/M/G/T suffix, case-insensitive
 * ({@code "0"}, {@code "128K"}, {@code "30M"}, {@code "1.5G"}). Anything else, such as
 * {@code "10M; rm -rf /"}, is rejected. The same regular expression is the {@code pattern} of the
 * JSON Schemas.
 */
public final class IperfSize {

    /** ECMA-262 and java.util.regex compatible; a test checks the schemas use exactly this. */
    public static final String REGEX = "^[0-9]{1,15}(\\.[0-9]{1,6})?[KMGTkmgt]?$";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private IperfSize() {
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /** Returns the value, or throws {@link InvalidFieldException} naming the field (NPE with the field name when null). */
    public static String requireValid(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!isValid(value)) {
            throw new InvalidFieldException(field, "not an iperf3 size: '" + value + "'");
        }
        return value;
    }

    /** Like {@link #requireValid} but also accepts the empty string ("not set", as for {@code bytes}/{@code blockcount}). */
    public static String requireValidOrEmpty(String field, String value) {
        Objects.requireNonNull(value, field);
        return value.isEmpty() ? value : requireValid(field, value);
    }
}
