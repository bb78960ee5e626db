package io.bandwatch.runner.iperf3;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every argument becomes one literal word, whatever it contains. */
public final class ShellQuote {

    private ShellQuote() {
    }

    /**
     * The argument in single quotes, each embedded single quote written as {@code '\''}. NUL cannot be passed
     * to a shell and is rejected.
     */
    public static String quote(String argument) {
        if (argument.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("argument contains NUL");
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The arguments quoted and joined by single spaces. */
    public static String join(List<String> arguments) {
        return arguments.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
