package io.bandwatch.platform.json;

/**
 * What every text of a request must be, in JSON bodies and in parameters alike: no NUL character (PostgreSQL
 * refuses it), no lone UTF-16 surrogate (not text; PostgreSQL refuses it as UTF-8), at most
 * {@link #MAX_LENGTH} characters. Fields with a smaller bound say so with Bean Validation.
 */
public final class Text {

    /** The longest text any field takes (a PEM key is about 3,300 characters). */
    public static final int MAX_LENGTH = 65_536;

    private Text() {
    }

    /**
     * Why a single-line value is refused, or null when it is fine: names, tags, user names and every secret that
     * travels in a line (an iperf3 password read by {@code read -r}, an SSH user on a command line) hold no control
     * character: none of C0 (U+0000–U+001F: NUL, TAB, LF, CR, ESC, …), DEL (U+007F), C1 (U+0080–U+009F, NEL
     * included), the line and paragraph separators (U+2028, U+2029), and no lone UTF-16 surrogate.
     */
    public static String singleLineProblem(String text) {
        String problem = problem(text);
        if (problem != null) {
            return problem;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                return String.format("must not contain control characters (found U+%04X at %d)", (int) c, i);
            }
        }
        return null;
    }

    /** Why the text is refused, or null when it is fine. */
    public static String problem(String text) {
        if (text.length() > MAX_LENGTH) {
            return "too long: at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain a lone UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain a lone UTF-16 surrogate";
            }
        }
        return null;
    }
}
