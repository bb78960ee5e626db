package io.bandwatch.metrics.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Formats a value with a decimal (SI, factor 1000) prefix, the way the charts show it:
 * {@code 999 bps}, {@code 1.00 Kbps}, {@code 9.87 Mbps}, {@code 1.2 GB}.
 *
 * <p>The rule: below 1000 the value is shown as an integer (rounded) with no prefix. From 1000 up the
 * largest prefix (K, M, G, T, P, E) that keeps the scaled value at or above 1 is chosen, and the scaled value is
 * rounded half-up to 3 significant digits; trailing zeros are kept for bits per second
 * ({@code 1.00 Kbps}) and dropped for bytes ({@code 1.2 GB}, {@code 1 KB}). A value that rounds up to
 * 1000 moves to the next prefix ({@code 999.6 K → 1.00 M}). Negative values keep their sign; NaN
 * and infinities are shown as {@code -}. The same rule is implemented in the web page ({@code format.js}).
 */
public final class AdaptivePrefix {

    private static final String[] PREFIXES = {"", "K", "M", "G", "T", "P", "E"};

    private AdaptivePrefix() {
    }

    /** Bits per second: {@code 9.87 Mbps}. */
    public static String bps(double value) {
        return format(value, "bps", true);
    }

    /** Bytes: {@code 1.2 GB}. */
    public static String bytes(double value) {
        return format(value, "B", false);
    }

    /**
     * @param unit          the unit after the prefix
     * @param keepZeros     keep trailing zeros of the 3 significant digits
     */
    public static String format(double value, String unit, boolean keepZeros) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "-";
        }
        String sign = value < 0 ? "-" : "";
        double abs = Math.abs(value);
        if (Math.round(abs) < 1000) {
            return sign + Math.round(abs) + " " + unit;
        }
        int exponent = 0;
        BigDecimal scaled = BigDecimal.valueOf(abs);
        while (exponent < PREFIXES.length - 1 && scaled.compareTo(BigDecimal.valueOf(1000)) >= 0) {
            scaled = scaled.movePointLeft(3);
            exponent++;
        }
        BigDecimal rounded = scaled.round(new MathContext(3, RoundingMode.HALF_UP));
        if (rounded.compareTo(BigDecimal.valueOf(1000)) >= 0 && exponent < PREFIXES.length - 1) {
            rounded = rounded.movePointLeft(3).round(new MathContext(3, RoundingMode.HALF_UP));
            exponent++;
        }
        String digits;
        if (keepZeros) {
            int integerDigits = rounded.precision() - rounded.scale();
            digits = rounded.setScale(Math.max(0, 3 - integerDigits), RoundingMode.HALF_UP).toPlainString();
        } else {
            digits = rounded.stripTrailingZeros().toPlainString();
        }
        return sign + digits + " " + PREFIXES[exponent] + unit;
    }

    /** Formats with the prefix rule for a unit of the charts ({@code bps}, {@code B}), else plainly. */
    public static String forUnit(double value, String unit) {
        return switch (unit) {
            case "bps" -> bps(value);
            case "B" -> bytes(value);
            default -> String.format(Locale.ROOT, "%.2f %s", value, unit);
        };
    }
}
