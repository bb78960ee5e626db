package io.bandwatch.inventory;

import static io.restassured.RestAssured.given;

import io.bandwatch.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** REST helpers for the tests: tokens, fixtures made through the API itself. */
public final class Api {

    private Api() {
    }

    /** A throw-away ed25519 key made for these tests (test-only, never used anywhere). */
    public static final String ED25519_KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACBeX5iBzVDvYkNFIehbRfbgHqTEQ+/VtuuNiqrCMcemjQAAAJigHlzEoB5c
            xAAAAAtzc2gtZWQyNTUxOQAAACBeX5iBzVDvYkNFIehbRfbgHqTEQ+/VtuuNiqrCMcemjQ
            AAAEAjBtrXS7yY0zoPD4aLBpFZepnHjGLGJJVJ1BrRIw4gHF5fmIHNUO9iQ0Uh6FtF9uAe
            pMRD79W2642KqsIxx6aNAAAADnRlc3RAYmFuZHdhdGNoAQIDBAUGBw==
            -----END OPENSSH PRIVATE KEY-----
            """;

    /** The body of a throw-away RSA public key, as OpenWISP's rsa_public_key takes it. */
    public static final String RSA_PUBLIC_KEY_BODY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuEZC1WWjnCoAAlvz4eLO"
            + "mxAHbOq/yUBf8nISfbKxWR+E45XyZ+Tmya7cVJdk7lKm4lvjqe0PmUiVR1BXgCAd"
            + "wueQxKwkiQbRjS/fOvcmYD3lczCUuXYCLLdR+dMO0JREayWAB+gzJHSr19GKl1YS"
            + "FirTUJ8aphB15WlyNqX9LGWsxKYpjndkgxlURqvaWyMIlFXuDcUv8OEA3R3BgxX8"
            + "QSWMxkX4ip0KWl89TKephN7SRg3FbLRX6hIZROL+GWca28KXvEUrmEHX85Dw6NGQ"
            + "QJ2PJxMAIPZQR6CknkNkJ/DxwZcSQJIP/n3pOej+tojUKPdqfexBa5NEXek0j6Qb"
            + "XwIDAQAB";

    public static String superuser() {
        return TestJwt.superuser("root-" + UUID.randomUUID());
    }

    public static String token(UUID org, String role) {
        return TestJwt.user(role + "-" + UUID.randomUUID(), Map.of(org, role));
    }

    public static RequestSpecification as(String token) {
        RequestSpecification spec = given().contentType(ContentType.JSON).accept(ContentType.JSON);
        return token == null ? spec : spec.auth().oauth2(token);
    }

    public static UUID organization() {
        String id = as(superuser()).body(Map.of("name", "org-" + UUID.randomUUID()))
                .post("/api/v1/organizations").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    public static Map<String, Object> device(UUID org, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_id", org.toString());
        body.put("name", name);
        body.put("address", "198.18.0.10");
        body.put("ssh_port", 22);
        body.put("ssh_user", "root");
        body.put("private_key", ED25519_KEY);
        body.put("tags", List.of("core", "site-a"));
        return body;
    }

    public static UUID createDevice(UUID org, boolean defaultChecks) {
        Map<String, Object> body = device(org, "dev-" + UUID.randomUUID());
        body.put("create_default_checks", defaultChecks);
        String id = as(token(org, "owner")).body(body).post("/api/v1/devices")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    public static UUID createCheck(UUID org, UUID device, String type, Object params) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", device.toString());
        body.put("name", type + "-" + UUID.randomUUID());
        body.put("type", type);
        body.put("params", params);
        String id = as(token(org, "operator")).body(body).post("/api/v1/checks")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    public static UUID createServer(UUID org, String host) {
        return createServer(org, host, 5201);
    }

    public static UUID createServer(UUID org, String host, int port) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_ids", List.of(org.toString()));
        body.put("host", host);
        body.put("port", port);
        String id = as(token(org, "owner")).body(body).post("/api/v1/iperf3-servers")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    /** A random, valid, unused host name for an iperf3 server. */
    public static String randomHost() {
        return "iperf-" + UUID.randomUUID().toString().substring(0, 8) + ".test.bandwatch.dev";
    }

    public static String etag(Response response) {
        return response.getHeader("ETag");
    }
}
