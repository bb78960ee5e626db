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
