package io.bandwatch.inventory.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.inventory.Api;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** rsa_public_key is parsed as a real RSA public key in every form an iperf3 user brings, and nothing else passes. */
public class RsaPublicKeysTest {

    private static RSAPublicKey rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return (RSAPublicKey) g.generateKeyPair().getPublic();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] sshField(byte[] value) {
        return ByteBuffer.allocate(4 + value.length).putInt(value.length).put(value).array();
    }

    /** The OpenSSH public key line of a key (also used by the REST tests). */
    public static String openSsh(RSAPublicKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sshField("ssh-rsa".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(sshField(key.getPublicExponent().toByteArray()));
        out.writeBytes(sshField(key.getModulus().toByteArray()));
        return "ssh-rsa " + Base64.getEncoder().encodeToString(out.toByteArray()) + " iperf3@bandwatch";
    }

    @Test
    void everyFormOfARealKeyIsAcceptedAndBecomesTheSpkiPemIperf3Reads() throws Exception {
        RSAPublicKey key = rsa(2048);
        byte[] spki = key.getEncoded();
        // a 2048-bit SubjectPublicKeyInfo is a 24-byte header then the PKCS#1 RSAPublicKey
        byte[] pkcs1 = Arrays.copyOfRange(spki, 24, spki.length);
        String body = Base64.getEncoder().encodeToString(spki);
        for (String form : new String[] {pem("PUBLIC KEY", spki), body, pem("RSA PUBLIC KEY", pkcs1), openSsh(key),
                "  " + pem("PUBLIC KEY", spki).replace("\n", "\r\n") + "  "}) {
            assertThat(RsaPublicKeys.parse(form)).as(form).get().extracting(RSAPublicKey::getModulus)
                    .isEqualTo(key.getModulus());
            assertThat(RsaPublicKeys.pem(RsaPublicKeys.parse(form).orElseThrow()))
                    .isEqualTo("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        }
        assertThat(RsaPublicKeys.parse(Api.RSA_PUBLIC_KEY_BODY)).as("the tests' key").isPresent();
    }

    @Test
    void whatIsNoRsaPublicKeyIsRefused() throws Exception {
        RSAPublicKey key = rsa(2048);
        String body = Base64.getEncoder().encodeToString(key.getEncoded());
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        byte[] ecKey = ec.generateKeyPair().getPublic().getEncoded();
        String[] refused = {
            "QUFB".repeat(30),                                          // base64 of "AAA…": not a key
            body.substring(0, body.length() - 8),                       // truncated
            body + "QUFB",                                              // trailing bytes
            pem("PUBLIC KEY", ecKey),                                   // another algorithm
            pem("PUBLIC KEY", rsa(512).getEncoded()),                   // too small
            pem("PUBLIC KEY", key.getEncoded()).replace("\n-----END", "\n$(reboot)\n-----END"),
            pem("PUBLIC KEY", key.getEncoded()) + "extra",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF5fmIHNUO9iQ0Uh6FtF9uAepMRD79W2642KqsIxx6aN x",
            openSsh(key).replace(" iperf3@bandwatch", " a\nb"),
            "", "   ", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----"};
        for (String text : refused) {
            assertThat(RsaPublicKeys.parse(text)).as(text).isEmpty();
        }
        assertThat(RsaPublicKeys.parse(null)).isEmpty();
    }
}
