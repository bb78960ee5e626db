package io.bandwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The proof that a service's OpenAPI document describes what its API accepts and answers: every example request
 * body the document shows is sent as it is (only the ids it names replaced by objects the test made, and the
 * path parameters filled in), and every answer is validated against the schema the document gives for its status
 * and content type (JSON Schema 2020-12, the dialect of OpenAPI 3.1, with {@code #/components} resolved).
 */
public final class OpenApiProof {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2020-12, knowing that {@code components} (where the document's {@code $ref}s point) is not a keyword. */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword("components")).build()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");

    /** One example sent: the operation, the example's name, the status it got. */
    public record Sent(String method, String path, String example, int status) {
    }

    /** One documented example about to be sent: the operation ({@code put}, {@code /api/v1/devices/{id}}) and its name. */
    public record Example(String method, String template, String name) {
    }

    private OpenApiProof() {
    }

    /**
     * The service's OpenAPI document ({@code /q/openapi?format=json} on its management interface, whose root a
     * {@code @QuarkusTest} gets with {@code @TestHTTPResource(management = true)}).
     */
    public static JsonNode document(URL management) {
        String text = ManagementPort.given(management).accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends every example request body of the document and validates each answer; throws an AssertionError naming
     * the operation, the example and what is wrong at the first answer the document does not describe.
     *
     * @param management the root of the service's management interface (see {@link #document})
     * @param as         a request with the credentials to use
     * @param pathValues values of path parameters by name ({@code id}, ...); an example of an operation with a path
     *                   parameter that is not given is an error of the test
     * @param ids        fields of the examples to replace, by name, at any depth (e.g. {@code organization_id} → the
     *                   test's organization): a documented id names nothing in the test's database
     */
    public static List<Sent> sendExamples(URL management, Supplier<RequestSpecification> as,
            Map<String, String> pathValues, Map<String, Object> ids) {
        return sendExamples(management, example -> as.get(), example -> pathValues, example -> ids);
    }

    /**
     * {@link #sendExamples(URL, Supplier, Map, Map)} with the request (credentials, headers such as {@code If-Match}),
     * the path parameters and the replaced fields chosen per example, each asked just before the example is sent: a
     * PUT example names the object the test made for it (an iperf3 check for the iperf3 example) and its current
     * version.
     */
    public static List<Sent> sendExamples(URL management, Function<Example, RequestSpecification> as,
            Function<Example, Map<String, String>> pathValues, Function<Example, Map<String, Object>> ids) {
        JsonNode doc = document(management);
        List<Sent> sent = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!WITH_BODY.contains(op.getKey())) {
                    continue;
                }
                JsonNode media = op.getValue().path("requestBody").path("content").path("application/json");
                for (Map.Entry<String, JsonNode> example : examples(doc, media).entrySet()) {
                    String where = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " example '"
                            + example.getKey() + "'";
                    JsonNode body = example.getValue();
                    if (body.isTextual()) {
                        body = read(body.asText(), where);
                    }
                    Example about = new Example(op.getKey(), path.getKey(), example.getKey());
                    JsonNode replaced = replace(body, ids.apply(about));
                    Map<String, String> values = pathValues.apply(about);
                    sent.add(send(doc, () -> as.apply(about), op.getKey(), path.getKey(), op.getValue(),
                            example.getKey(), replaced, values, where));
                }
            }
        }
        return sent;
    }

    /**
     * The examples of a request body: the media type's named {@code examples} (their {@code value}) or its
     * {@code example}, else those of its schema ({@code examples}, OpenAPI 3.1, or {@code example}), a
     * {@code #/components} reference followed.
     */
    static Map<String, JsonNode> examples(JsonNode doc, JsonNode media) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        media.path("examples").fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().path("value")));
        if (media.has("example")) {
            found.put("example", media.get("example"));
        }
        if (found.isEmpty()) {
            JsonNode schema = media.path("schema");
            while (schema.has("$ref")) {
                schema = doc.at(schema.get("$ref").asText().substring(1));
            }
            for (int i = 0; i < schema.path("examples").size(); i++) {
                found.put("schema example " + i, schema.path("examples").get(i));
            }
            if (schema.has("example")) {
                found.put("schema example", schema.get("example"));
            }
        }
        found.values().removeIf(JsonNode::isMissingNode);
        return found;
    }

    private static Sent send(JsonNode doc, Supplier<RequestSpecification> as, String method, String template,
            JsonNode operation, String name, JsonNode body, Map<String, String> pathValues, String where) {
        String path = template;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        if (path.contains("{")) {
            throw new AssertionError(where + ": the test gives no value for a path parameter of " + template);
        }
        Response response = as.get().contentType("application/json").body(body.toString()).request(method, path);
        check(doc, operation, response, where);
        int status = response.statusCode();
        return new Sent(method, template, name, status);
    }

    /**
     * GETs {@code path} (an instance of the document's {@code template}) and validates the answer against the schema
     * the document gives for its status and content type; an answer the document does not describe is an
     * AssertionError. Returns the status.
     */
    public static int get(JsonNode doc, Supplier<RequestSpecification> as, String template, String path) {
        JsonNode operation = doc.path("paths").path(template).path("get");
        if (operation.isMissingNode()) {
            throw new AssertionError("the document has no GET " + template);
        }
        Response response = as.get().get(path);
        check(doc, operation, response, "GET " + path);
        return response.statusCode();
    }

    /** The answer is one the document lists for the operation, and matches the schema given for it. */
    private static void check(JsonNode doc, JsonNode operation, Response response, String where) {
        int status = response.statusCode();
        JsonNode documented = operation.path("responses").path(String.valueOf(status));
        if (documented.isMissingNode()) {
            documented = operation.path("responses").path("default");
        }
        if (documented.isMissingNode()) {
            throw new AssertionError(where + ": answered " + status + ", which the document does not list ("
                    + operation.path("responses").properties().stream().map(Map.Entry::getKey).toList() + "): "
                    + response.asString());
        }
        String text = response.asString();
        if (text != null && !text.isEmpty()) {
            String type = response.contentType() == null ? "" : response.contentType().split(";")[0].trim();
            JsonNode content = documented.path("content").path(type);
            if (content.isMissingNode()) {
                throw new AssertionError(where + ": answered " + status + " with " + type
                        + ", which the document does not give for " + status);
            }
            JsonNode schema = content.get("schema");
            if (schema == null) {
                throw new AssertionError(where + ": the document gives no schema for " + status + " " + type);
            }
            validate(doc, schema, read(text, where), where + " answered " + status);
        }
    }

    /** Validates an instance against a schema of the document, its {@code #/components/...} references resolved. */
    public static void validate(JsonNode doc, JsonNode schema, JsonNode instance, String where) {
        ObjectNode root = schema.isObject() ? ((ObjectNode) schema).deepCopy() : JSON.createObjectNode();
        root.set("components", doc.path("components"));
        JsonSchema compiled = FACTORY.getSchema(root, CONFIG);
        Set<ValidationMessage> errors = compiled.validate(instance);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + ": the answer does not match the documented schema: " + errors + "\n"
                    + instance);
        }
    }

    /** The body with the named fields replaced, at any depth (e.g. {@code memberships[].organization_id}). */
    private static JsonNode replace(JsonNode body, Map<String, Object> ids) {
        JsonNode copy = body.deepCopy();
        replaceIn(copy, ids);
        return copy;
    }

    private static void replaceIn(JsonNode node, Map<String, Object> ids) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            ids.forEach((field, value) -> {
                if (object.has(field)) {
                    object.set(field, JSON.valueToTree(value));
                }
            });
            object.forEach(child -> replaceIn(child, ids));
        } else if (node.isArray()) {
            node.forEach(child -> replaceIn(child, ids));
        }
    }

    private static JsonNode read(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(where + ": not JSON: " + text, e);
        }
    }
}
