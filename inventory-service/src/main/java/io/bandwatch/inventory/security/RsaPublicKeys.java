package io.bandwatch.inventory.security;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * iperf3 RSA public keys ({@code rsa_public_key} of checks, organization defaults and servers), parsed as real keys:
 * <ul>
 * <li>PEM {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo, what {@code openssl rsa -pubout} writes and
 * iperf3 reads), or its base64 body alone (OpenWISP's form, completed by its {@code _get_compelete_rsa_key});</li>
 * <li>PEM {@code -----BEGIN RSA PUBLIC KEY-----} (PKCS#1);</li>
 * <li>OpenSSH {@code ssh-rsa AAAA… [comment]}.</li>
 * </ul>
 * Anything else, a key of another algorithm, or an RSA modulus under {@link #MIN_BITS} bits is refused. The key
 * iperf3 gets is always the SubjectPublicKeyInfo PEM ({@link #pem}), whatever form was given.
 */
public final class RsaPublicKeys {

    /** The smallest modulus accepted. */
    public static final int MIN_BITS = 1024;

    private static final byte[] RSA_ALGORITHM_ID = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    private RsaPublicKeys() {
    }

    /** The key, or empty when the text is no RSA public key of at least {@link #MIN_BITS} bits in a known form. */
    public static Optional<RSAPublicKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        try {
            RSAPublicKey key;
            if (t.startsWith("ssh-rsa ")) {
                key = openSsh(t);
            } else if (t.startsWith("-----BEGIN RSA PUBLIC KEY-----")) {
                key = spki(wrapPkcs1(body(t, "RSA PUBLIC KEY")));
            } else if (t.startsWith("-----BEGIN PUBLIC KEY-----")) {
                key = spki(body(t, "PUBLIC KEY"));
            } else {
                key = spki(Base64.getMimeDecoder().decode(requireBase64(t)));
            }
            return key.getModulus().bitLength() >= MIN_BITS ? Optional.of(key) : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The SubjectPublicKeyInfo PEM of a key, its body on one line as OpenWISP completes it (iperf3 reads it). */
    public static String pem(RSAPublicKey key) {
        String body = Base64.getEncoder().encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    private static byte[] body(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (!pem.startsWith(begin) || !pem.endsWith(end)) {
            throw new IllegalArgumentException("not a " + type + " PEM");
        }
        return Base64.getMimeDecoder().decode(requireBase64(pem.substring(begin.length(), pem.length() - end.length())));
    }

    /** Only base64 characters and line breaks (the MIME decoder alone would skip any other character). */
    private static String requireBase64(String body) {
        String b = body.replaceAll("[\\r\\n\\t ]", "");
        if (b.isEmpty() || !b.matches("[A-Za-z0-9+/]+={0,2}")) {
            throw new IllegalArgumentException("not base64");
        }
        return b;
    }

    private static RSAPublicKey spki(byte[] der) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        if (!(key instanceof RSAPublicKey rsa) || !java.util.Arrays.equals(rsa.getEncoded(), der)) {
            throw new IllegalArgumentException("not exactly one RSA SubjectPublicKeyInfo");
        }
        return rsa;
    }

    /** SubjectPublicKeyInfo { rsaEncryption, BIT STRING { PKCS#1 RSAPublicKey } }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] bits = new byte[pkcs1.length + 1];
        System.arraycopy(pkcs1, 0, bits, 1, pkcs1.length);
        byte[] bitString = der(0x03, bits);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(RSA_ALGORITHM_ID);
        content.writeBytes(bitString);
        return der(0x30, content.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        } else {
            throw new IllegalArgumentException("key too large");
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** {@code ssh-rsa <base64 of: string "ssh-rsa", mpint e, mpint n> [comment]} (RFC 4253 section 6.6). */
    private static RSAPublicKey openSsh(String line) throws GeneralSecurityException {
        String[] parts = line.split("[ \\t]+", 3);
        if (parts.length < 2 || (parts.length == 3 && parts[2].chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(parts[1]));
        if (!"ssh-rsa".equals(new String(field(in), StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("not ssh-rsa");
        }
        BigInteger e = new BigInteger(field(in));
        BigInteger n = new BigInteger(field(in));
        if (in.hasRemaining() || e.signum() <= 0 || n.signum() <= 0) {
            throw new IllegalArgumentException("malformed ssh-rsa key");
        }
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private static byte[] field(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("truncated");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }
}
