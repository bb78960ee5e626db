package io.bandwatch.runner.ssh;

/**
 * Where and how to log in. Secrets: never logged (toString hides them).
 *
 * @param host               device address
 * @param port               SSH port
 * @param user               login name
 * @param privateKeyPem      private key (OpenSSH or PEM; RSA or ed25519), or null
 * @param password           password, or null
 * @param pinnedFingerprint  {@code SHA256:...} the host key must have, or null (trust on first use)
 */
public record SshLogin(String host, int port, String user, String privateKeyPem, String password,
        String pinnedFingerprint) {

    @Override
    public String toString() {
        return "SshLogin[" + user + "@" + host + ":" + port + ", key=" + (privateKeyPem != null ? "***" : "none")
                + ", password=" + (password != null ? "***" : "none") + ", pinned=" + pinnedFingerprint + "]";
    }
}
