package io.bandwatch.runner.iperf3;

import io.bandwatch.events.HostNames;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3Options.ClientOptions;
import io.bandwatch.events.IperfSize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds the remote shell script of one iperf3 mode from typed, validated values. Every argument is
 * shell-quoted; nothing a user typed reaches the shell unquoted.
 *
 * <p>With iperf3 RSA authentication the secrets travel on the SSH channel's standard input, never on a
 * command line: the first line is the password (read into {@code IPERF3_PASSWORD} by the shell's
 * {@code read} builtin), the rest the public key PEM, written to a {@code mktemp} file under
 * {@link #KEY_FILE_PREFIX} that a {@code trap} removes on every exit path of the script.
 */
public final class Iperf3Command {

    /** Key files are {@code /tmp/bw-iperf3-key.<run>.XXXXXX}; the runner also removes them by this prefix after a dropped session. */
    public static final String KEY_FILE_PREFIX = "/tmp/bw-iperf3-key.";
    /** Exit status of the script when it could not set up authentication (mktemp, read, write). */
    public static final int SETUP_FAILED = 126;

    private static final Pattern RUN_TAG = Pattern.compile("[A-Za-z0-9]{1,40}");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN [A-Z ]+-----\\R[A-Za-z0-9+/=\\r\\n]+-----END [A-Z ]+-----\\R?");

    private final String script;
    private final List<String> argv;
    private final byte[] stdin;

    private Iperf3Command(String script, List<String> argv, byte[] stdin) {
        this.script = script;
        this.argv = argv;
        this.stdin = stdin;
    }

    /** Authentication for one run; the values are secrets (not logged, not in toString). */
    public record Auth(String username, String password, String rsaPublicKeyPem) {
        public Auth {
            if (username == null || !username.matches(Iperf3Options.USERNAME_REGEX)) {
                throw new IllegalArgumentException("iperf3 username must be 1 to 20 printable ASCII characters");
            }
            Objects.requireNonNull(password, "password");
            if (password.isEmpty() || password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0
                    || password.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("iperf3 password must be one non-empty line");
            }
            if (rsaPublicKeyPem == null || !PEM.matcher(rsaPublicKeyPem.strip() + "\n").matches()) {
                throw new IllegalArgumentException("iperf3 rsa_public_key is not a PEM block");
            }
        }

        @Override
        public String toString() {
            return "Auth[username=" + username + ", password=***, rsaPublicKeyPem=***]";
        }
    }

    /**
     * The command of one mode.
     *
     * @param host        server host (validated host name or IP literal)
     * @param port        server port
     * @param options     client options (already validated by the event record)
     * @param mode        TCP or UDP
     * @param auth        RSA authentication, or null
     * @param timeoutSecs the device-side limit ({@code timeout -s INT}); iperf3 still prints its JSON
     * @param runTag      alphanumeric tag of the run, part of the key file name
     */
    public static Iperf3Command build(String host, int port, ClientOptions options, Iperf3Mode mode, Auth auth,
            int timeoutSecs, String runTag) {
        if (!HostNames.isValid(host)) {
            throw new IllegalArgumentException("not a host name or IP address: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (timeoutSecs < 1) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (!RUN_TAG.matcher(runTag).matches()) {
            throw new IllegalArgumentException("run tag must be alphanumeric");
        }
        List<String> argv = new ArrayList<>();
        argv.add("timeout");
        argv.add("-s");
        argv.add("INT");
        argv.add(Integer.toString(timeoutSecs));
        argv.add("iperf3");
        argv.add("-c");
        argv.add(host);
        argv.add("-p");
        argv.add(Integer.toString(port));
        switch (options.endCondition()) {
            case BYTES -> {
                argv.add("-n");
                argv.add(size("client_options.bytes", options.bytes()));
            }
            case BLOCKCOUNT -> {
                argv.add("-k");
                argv.add(size("client_options.blockcount", options.blockcount()));
            }
            case TIME -> {
                argv.add("-t");
                argv.add(Integer.toString(options.time()));
            }
        }
        argv.add("--connect-timeout");
        argv.add(Integer.toString(options.connectTimeout()));
        boolean udp = mode == Iperf3Mode.UDP;
        if (udp) {
            argv.add("-u");
        }
        argv.add("-b");
        argv.add(size(udp ? "client_options.udp.bitrate" : "client_options.tcp.bitrate",
                udp ? options.udp().bitrate() : options.tcp().bitrate()));
        String length = udp ? options.udp().length() : options.tcp().length();
        if (!(udp && isZero(length))) {
            // UDP length 0 means "iperf3 chooses"; iperf3 itself rejects -l 0
            argv.add("-l");
            argv.add(size(udp ? "client_options.udp.length" : "client_options.tcp.length", length));
        }
        argv.add("-w");
        argv.add(size("client_options.window", options.window()));
        argv.add("-P");
        argv.add(Integer.toString(options.parallel()));
        if (options.reverse()) {
            argv.add("--reverse");
        }
        if (options.bidirectional()) {
            argv.add("--bidir");
        }
        argv.add("-J");
        StringBuilder script = new StringBuilder();
        byte[] stdin = new byte[0];
        if (auth != null) {
            argv.add("--username");
            argv.add(auth.username());
            script.append("kf=''; trap 'rm -f \"$kf\"' EXIT; trap 'exit 130' HUP INT TERM PIPE; ")
                    .append("umask 077; ")
                    .append("IFS= read -r IPERF3_PASSWORD || exit ").append(SETUP_FAILED).append("; ")
                    .append("export IPERF3_PASSWORD; ")
                    .append("kf=$(mktemp ").append(ShellQuote.quote(KEY_FILE_PREFIX + runTag + ".XXXXXX"))
                    .append(") || exit ").append(SETUP_FAILED).append("; ")
                    .append("cat > \"$kf\" || exit ").append(SETUP_FAILED).append("; ")
                    .append(ShellQuote.join(argv)).append(" --rsa-public-key-path \"$kf\"");
            String pem = auth.rsaPublicKeyPem().strip() + "\n";
            stdin = (auth.password() + "\n" + pem).getBytes(StandardCharsets.UTF_8);
            argv.add("--rsa-public-key-path");
            argv.add("$kf");
        } else {
            script.append(ShellQuote.join(argv));
        }
        return new Iperf3Command(script.toString(), List.copyOf(argv), stdin);
    }

    private static String size(String field, String value) {
        return IperfSize.requireValid(field, value);
    }

    private static boolean isZero(String size) {
        return size.matches("0+(\\.0+)?[KMGTkmgt]?");
    }

    /** The script to run with {@code sh -c} semantics (the SSH exec request). */
    public String script() {
        return script;
    }

    /** The iperf3 argument vector (for tests and diagnosis; contains no secret). */
    public List<String> argv() {
        return argv;
    }

    /** What to write to the command's standard input (empty without authentication). Secret. */
    public byte[] stdin() {
        return stdin.clone();
    }
}
