package io.bandwatch.runner.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.runner.config.RunnerConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * SSH to devices with JSch: key (RSA, ed25519) or password login, host key pinned by SHA-256 fingerprint
 * (trust on first use when none is pinned: the observed fingerprint is handed back to be recorded),
 * bounded connect, bounded commands (killed at the deadline), output capped.
 */
@Singleton
public class SshClient {

    private final Duration connectTimeout;
    private final int maxOutputBytes;

    /** As the service configures it ({@code bandwatch.runner.ssh.*}). */
    @Inject
    public SshClient(RunnerConfig config) {
        this(config.ssh().connectTimeout(), config.ssh().maxOutputBytes());
    }

    public SshClient(Duration connectTimeout, int maxOutputBytes) {
        this.connectTimeout = connectTimeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    /** {@code SHA256:} + unpadded base64 of the SHA-256 of the key blob, as {@code ssh-keygen -lf} prints it. */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a session; the caller closes it. */
    public SshConnection connect(SshLogin login) throws SshFailure {
        JSch jsch = new JSch();
        PinnedHostKeys hostKeys = new PinnedHostKeys(login.pinnedFingerprint());
        jsch.setHostKeyRepository(hostKeys);
        Session session;
        try {
            if (login.privateKeyPem() != null) {
                jsch.addIdentity("device-key", login.privateKeyPem().getBytes(StandardCharsets.UTF_8), null, null);
            }
            session = jsch.getSession(login.user(), login.host(), login.port());
        } catch (JSchException e) {
            throw new SshFailure(ErrorCode.SSH_AUTH_FAILED, "the device's SSH private key cannot be read: "
                    + e.getMessage(), null);
        }
        if (login.password() != null) {
            session.setPassword(login.password());
        }
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", login.privateKeyPem() != null ? "publickey" : "password,keyboard-interactive");
        session.setConfig("server_host_key", "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa");
        session.setConfig("PubkeyAcceptedAlgorithms", "ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-rsa");
        session.setUserInfo(new NoPrompt(login.password()));
        try {
            session.setServerAliveInterval((int) Math.max(1000, connectTimeout.toMillis()));
            session.setServerAliveCountMax(3);
            session.connect((int) connectTimeout.toMillis());
        } catch (JSchException e) {
            session.disconnect();
            throw classify(e, hostKeys, login);
        }
        return new SshConnection(session, hostKeys.observed, maxOutputBytes);
    }

    private static SshFailure classify(JSchException e, PinnedHostKeys hostKeys, SshLogin login) {
        String where = login.user() + "@" + login.host() + ":" + login.port();
        if (hostKeys.mismatch) {
            return new SshFailure(ErrorCode.HOST_KEY_MISMATCH, "host key of " + login.host() + " is " + hostKeys.observed
                    + ", pinned " + login.pinnedFingerprint(), null);
        }
        Throwable cause = e.getCause();
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof UnknownHostException || cause instanceof SocketTimeoutException) {
            return new SshFailure(ErrorCode.SSH_UNREACHABLE, "cannot reach " + where + ": " + cause.getMessage(), null);
        }
        String message = String.valueOf(e.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("auth fail") || m.contains("auth cancel") || m.contains("userauth")
                || m.contains("authentication failures") || m.contains("no more authentication methods")) {
            return new SshFailure(ErrorCode.SSH_AUTH_FAILED, "SSH login refused for " + where + ": " + message, null);
        }
        if (m.contains("hostkey") || m.contains("host key")) {
            return new SshFailure(ErrorCode.HOST_KEY_MISMATCH, "host key of " + login.host() + " rejected: " + message, null);
        }
        if (m.contains("timeout") || m.contains("connection") || m.contains("socket") || m.contains("session is down")
                || m.contains("closed by foreign host")) {
            return new SshFailure(ErrorCode.SSH_UNREACHABLE, "cannot reach " + where + ": " + message, null);
        }
        return new SshFailure(ErrorCode.SSH_UNREACHABLE, "SSH to " + where + " failed: " + message, null);
    }

    /** One open session: run commands, then close. */
    public static final class SshConnection implements AutoCloseable {

        private final Session session;
        private final String observedFingerprint;
        private final int maxOutputBytes;
        private volatile ChannelExec current;

        SshConnection(Session session, String observedFingerprint, int maxOutputBytes) {
            this.session = session;
            this.observedFingerprint = observedFingerprint;
            this.maxOutputBytes = maxOutputBytes;
        }

        /** The fingerprint of the host key the device presented. */
        public String hostKeyFingerprint() {
            return observedFingerprint;
        }

        /**
         * Runs a command, writes {@code stdin} to it and closes its input, reads output up to the cap, and
         * kills it (signal KILL, then channel close) when the deadline passes.
         */
        public ExecResult exec(String command, byte[] stdin, Duration deadline) throws SshFailure {
            ChannelExec channel;
            try {
                channel = (ChannelExec) session.openChannel("exec");
            } catch (JSchException e) {
                throw new SshFailure(ErrorCode.SSH_UNREACHABLE, "SSH session lost: " + e.getMessage(), null);
            }
            current = channel;
            channel.setCommand(command);
            CappedBuffer out = new CappedBuffer(maxOutputBytes);
            CappedBuffer err = new CappedBuffer(maxOutputBytes);
            long end = System.nanoTime() + deadline.toNanos();
            boolean timedOut = false;
            try {
                InputStream stdout = channel.getInputStream();
                InputStream stderr = channel.getExtInputStream();
                OutputStream input = channel.getOutputStream();
                channel.connect((int) Math.min(Integer.MAX_VALUE, Math.max(1000, deadline.toMillis())));
                if (stdin != null && stdin.length > 0) {
                    input.write(stdin);
                    input.flush();
                }
                input.close();
                byte[] buf = new byte[8192];
                while (true) {
                    boolean read = drain(stdout, out, buf) | drain(stderr, err, buf);
                    if (channel.isClosed() && stdout.available() == 0 && stderr.available() == 0) {
                        break;
                    }
                    if (System.nanoTime() > end) {
                        timedOut = true;
                        try {
                            channel.sendSignal("KILL");
                        } catch (Exception ignored) {
                            // the channel may be gone already
                        }
                        break;
                    }
                    if (!session.isConnected()) {
                        throw new SshFailure(ErrorCode.SSH_UNREACHABLE, "SSH connection dropped during the command", null);
                    }
                    if (!read) {
                        Thread.sleep(20);
                    }
                }
                int exit = timedOut ? -1 : channel.getExitStatus();
                return new ExecResult(exit, out.text(), err.text(), timedOut, out.truncated || err.truncated);
            } catch (JSchException | IOException e) {
                throw new SshFailure(ErrorCode.SSH_UNREACHABLE, "SSH command failed: " + e.getMessage(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SshFailure(ErrorCode.INTERNAL_ERROR, "interrupted", null);
            } finally {
                channel.disconnect();
                current = null;
            }
        }

        private static boolean drain(InputStream in, CappedBuffer into, byte[] buf) throws IOException {
            boolean any = false;
            while (in.available() > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, in.available()));
                if (n <= 0) {
                    break;
                }
                into.write(buf, n);
                any = true;
            }
            return any;
        }

        /** Drops the connection at once, without cleanup (what a crashed runner does). */
        public void abort() {
            session.disconnect();
        }

        @Override
        public void close() {
            ChannelExec c = current;
            if (c != null) {
                c.disconnect();
            }
            session.disconnect();
        }
    }

    private static final class CappedBuffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int cap;
        private boolean truncated;

        CappedBuffer(int cap) {
            this.cap = cap;
        }

        void write(byte[] buf, int n) {
            int room = cap - bytes.size();
            if (room <= 0) {
                truncated = true;
                return;
            }
            int take = Math.min(room, n);
            bytes.write(buf, 0, take);
            if (take < n) {
                truncated = true;
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Accepts exactly the pinned key; with none pinned accepts and remembers the presented one. */
    private static final class PinnedHostKeys implements HostKeyRepository {
        private final String pinned;
        volatile String observed;
        volatile boolean mismatch;

        PinnedHostKeys(String pinned) {
            this.pinned = pinned;
        }

        @Override
        public int check(String host, byte[] key) {
            observed = fingerprint(key);
            if (pinned == null || pinned.equals(observed)) {
                return OK;
            }
            mismatch = true;
            return CHANGED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "bandwatch-pinned";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    /** Answers password prompts with the configured password and refuses everything else. */
    private record NoPrompt(String password) implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return password;
        }

        @Override
        public boolean promptPassword(String message) {
            return password != null;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }

        @Override
        public String toString() {
            return "NoPrompt[***]";
        }
    }
}
