package io.bandwatch.testing;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A per-JVM RSA key pair and tokens signed with it, carrying the claims that inventory-service issues:
 * {@code upn} (user name), {@code groups} ({@code user}, {@code superuser} or {@code service}) and
 * {@code orgs} (organization id to role: {@code owner}, {@code operator}, {@code viewer}).
 */
public final class TestJwt {

    public static final String ISSUER = "bandwatch-test";

    private static TestJwt instance;

    private final KeyPair keyPair;
    private final Path publicKeyPath;
    private final Path privateKeyPath;

    private TestJwt() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
            publicKeyPath = write("bandwatch-test-jwt-public", "PUBLIC KEY", keyPair.getPublic().getEncoded());
            privateKeyPath = write("bandwatch-test-jwt-private", "PRIVATE KEY", keyPair.getPrivate().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized TestJwt instance() {
        if (instance == null) {
            instance = new TestJwt();
        }
        return instance;
    }

    private static Path write(String prefix, String type, byte[] der) {
        try {
            Path file = Files.createTempFile(prefix, ".pem");
            file.toFile().deleteOnExit();
            String pem = "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path publicKeyPath() {
        return publicKeyPath;
    }

    public Path privateKeyPath() {
        return privateKeyPath;
    }

    /** A user who is a member of the given organizations with the given roles. */
    public static String user(String name, Map<UUID, String> orgRoles) {
        Map<String, String> orgs = new LinkedHashMap<>();
        orgRoles.forEach((org, role) -> orgs.put(org.toString(), role));
        return sign(name, Set.of("user"), orgs);
    }

    /** A superuser: sees every organization. */
    public static String superuser(String name) {
        return sign(name, Set.of("user", "superuser"), Map.of());
    }

    /** A service-to-service token (role {@code service}). */
    public static String service(String name) {
        return sign(name, Set.of("service"), Map.of());
    }

    /**
     * A user token of the given lifetime ({@code exp - iat}): services refuse one longer than
     * {@code bandwatch.auth.max-token-lifetime}. The subject is the name (a user id in the services' revocation tests).
     */
    public static String userLivingFor(String name, Map<UUID, String> orgRoles, Duration lifetime) {
        Map<String, String> orgs = new LinkedHashMap<>();
        orgRoles.forEach((org, role) -> orgs.put(org.toString(), role));
        return sign(name, Set.of("user"), orgs, lifetime);
    }

    private static String sign(String name, Set<String> groups, Map<String, String> orgs) {
        return sign(name, groups, orgs, Duration.ofHours(1));
    }

    private static String sign(String name, Set<String> groups, Map<String, String> orgs, Duration lifetime) {
        return Jwt.issuer(ISSUER)
                .upn(name)
                .subject(name)
                .groups(groups)
                .claim("orgs", orgs)
                .expiresIn(lifetime)
                .sign(instance().keyPair.getPrivate());
    }
}
