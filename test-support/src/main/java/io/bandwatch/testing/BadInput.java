package io.bandwatch.testing;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What a client can get wrong, sent to one endpoint: every answer must be 400 {@code application/problem+json}
 * naming the field (as the API spells it) or the parameter, never a 500. Each service runs these against
 * every POST/PUT/PATCH endpoint and its query parameters.
 */
public final class BadInput {

    private BadInput() {
    }

    /**
     * Bad bodies for an endpoint taking a JSON object with the string field {@code field}:
     * malformed JSON, NUL, lone surrogate, over-long text, repeated key, wrong type, unknown field, trailing content.
     */
    public static void body(Supplier<RequestSpecification> as, String method, String path, String field) {
        bodies(as, method, path, field, "", "", "");
    }

    /** As {@link #body}, for an endpoint taking a JSON array of such objects: the fields are {@code [0].<field>}. */
    public static void arrayBody(Supplier<RequestSpecification> as, String method, String path, String field) {
        bodies(as, method, path, field, "[", "]", "[0].");
    }

    private static void bodies(Supplier<RequestSpecification> as, String method, String path, String field,
            String open, String close, String at) {
        String q = "\"" + field + "\"";
        String f = at + field;
        send(as, method, path, open + "{" + q + ": \"x\"").body("errors.field", hasItem("body"))
                .body("detail", org.hamcrest.Matchers.containsString("line 1"));
        send(as, method, path, open + "{" + q + ": \"a\\u0000b\"}" + close).body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": \"a\\ud800b\"}" + close).body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": \"" + "x".repeat(70_000) + "\"}" + close)
                .body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": \"a\", " + q + ": \"b\"}" + close).body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": 123}" + close).body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": true}" + close).body("errors.field", hasItem(f));
        send(as, method, path, open + "{" + q + ": \"a\", \"no_such_field\": 1}" + close)
                .body("errors.field", hasItem(at + "no_such_field"));
        send(as, method, path, open + "{" + q + ": \"a\"}" + close + " {}").body("errors.field", hasItem("body"));
        send(as, method, path, open + "{" + q + ": \"a\"}" + close + " x").body("errors.field", hasItem("body"));
        send(as, method, path, "").body("errors.field", hasItem("body"));
    }

    /** Bad bodies for an endpoint taking free-form JSON: malformed, NUL, repeated key, trailing content. */
    public static void freeFormBody(Supplier<RequestSpecification> as, String method, String path) {
        send(as, method, path, "{\"a\": ").body("errors.field", hasItem("body"));
        send(as, method, path, "{\"a\": \"x\\u0000\"}");
        send(as, method, path, "{\"a\": 1, \"a\": 2}").body("errors.field", hasItem("a"));
        send(as, method, path, "{\"a\": 1} []").body("errors.field", hasItem("body"));
    }

    /** A query parameter with a value of the wrong type: 400 naming it (JAX-RS alone answers 404). */
    public static void queryParameter(Supplier<RequestSpecification> as, String path, String parameter, String value) {
        check(as.get().queryParam(parameter, value).get(path).then()).body("errors.field", hasItem(parameter));
    }

    /** No token: 401 with {@code WWW-Authenticate: Bearer} and a problem body. */
    public static void unauthorized(String method, String path) {
        RestAssured.given().contentType("application/json").body("{}").request(method, path).then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(startsWith("application/problem+json")).body("status", org.hamcrest.Matchers.equalTo(401))
                .body("detail", not(emptyOrNullString()));
    }

    private static ValidatableResponse send(Supplier<RequestSpecification> as, String method, String path, String body) {
        return check(as.get().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .request(method, path).then());
    }

    private static ValidatableResponse check(ValidatableResponse response) {
        return response.statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", org.hamcrest.Matchers.equalTo(400))
                .body("type", startsWith("https://bandwatch.dev/problems/"))
                .body("detail", not(emptyOrNullString()));
    }
}
