package io.bandwatch.inventory.service;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Syntax check of SSH private keys: PEM (PKCS#1 RSA, PKCS#8) or OpenSSH format, body in base64. */
public final class SshKeys {

    private static final Pattern PEM = Pattern.compile(
            "^\\s*-----BEGIN (RSA |OPENSSH |EC )?PRIVATE KEY-----\\s*\\n([A-Za-z0-9+/=\\s:,-]+?)\\n?-----END \\1?PRIVATE KEY-----\\s*$");

    private SshKeys() {
    }

    public static boolean isPrivateKey(String text) {
        Matcher m = PEM.matcher(text);
        if (!m.matches()) {
            return false;
        }
        String body = m.group(2).replaceAll("\\s", "");
        if (body.contains(":")) {
            return true; // encrypted PKCS#1 with headers
        }
        try {
            return Base64.getDecoder().decode(body).length > 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
