package io.bandwatch.events;

import java.util.regex.Pattern;

/**
 * Syntax check for the addresses Bandwatch connects to: an RFC 1123 host name, an IPv4 literal in
 * dotted-quad form, or an IPv6 literal (RFC 4291 text form, optionally with an embedded IPv4 tail;
 * no brackets, no zone id). Pure syntax: nothing is resolved.
 */
public final class HostNames {

    /** Longest host name (RFC 1123 / RFC 1035). */
    public static final int MAX_LENGTH = 253;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private HostNames() {
    }

    /** True when the value is a host name, an IPv4 literal or an IPv6 literal. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        if (value.indexOf(':') >= 0) {
            return isIpv6(value);
        }
        String[] labels = value.split("\\.", -1);
        if (DIGITS.matcher(labels[labels.length - 1]).matches()) {
            // a name ending in a numeric label is not a host name (no top-level domain is numeric)
            return isIpv4(value);
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Dotted quad, each part 0-255 without leading zeros. */
    public static boolean isIpv4(String value) {
        if (value == null) {
            return false;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !DIGITS.matcher(part).matches()
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IPv6 text form: eight groups, or fewer with one {@code ::}, optionally ending in an IPv4 literal. */
    public static boolean isIpv6(String value) {
        if (value == null || value.length() > 45 || value.indexOf(':') < 0) {
            return false;
        }
        String text = value;
        int lastColon = text.lastIndexOf(':');
        String tail = text.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            if (!isIpv4(tail)) {
                return false;
            }
            text = text.substring(0, lastColon + 1) + "0:0"; // the IPv4 tail counts as two groups
        }
        int compressed = text.indexOf("::");
        if (compressed < 0) {
            return groups(text) == 8;
        }
        if (text.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String left = text.substring(0, compressed);
        String right = text.substring(compressed + 2);
        int leftGroups = left.isEmpty() ? 0 : groups(left);
        int rightGroups = right.isEmpty() ? 0 : groups(right);
        return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups <= 7;
    }

    /** The number of colon-separated hex groups, or -1 when one is not a 1-4 digit hex group. */
    private static int groups(String text) {
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (!HEX_GROUP.matcher(group).matches()) {
                return -1;
            }
        }
        return groups.length;
    }
}
