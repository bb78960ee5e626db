package io.bandwatch.inventory.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.InvalidFieldException;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.PingOptions;
import io.bandwatch.inventory.security.RsaPublicKeys;
import io.bandwatch.platform.json.StrictJson;
import io.bandwatch.platform.problem.FieldError;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.ProblemMappers;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What inventory itself knows about check parameters; the bounds and syntax of every option are the {@code events}
 * records' ({@link Iperf3Options}, {@link PingOptions}), which this class builds from the request.
 *
 * <ul>
 * <li><b>Reading a document</b> ({@link #iperf3}, {@link #ping}): the records are read strictly (unknown keys,
 *     nulls and coerced scalars refused; the event readers ignore unknown keys), and their
 *     {@link InvalidFieldException}s become 400 field errors named by JSON path ({@code params.client_options.parallel}).</li>
 * <li><b>Secret splitting</b>: an iperf3 document's {@code password} and {@code rsa_public_key} are not in the
 *     records (never in events); they are checked here, stored encrypted and never returned.</li>
 * <li><b>Effective values</b> ({@link #effectiveIperf3}): OpenWISP Monitoring's {@code Iperf3._get_param} exactly: for
 *     every option, the check's value if it is truthy, else the organization's value if it is truthy, else the
 *     record's default ({@code 0}, {@code false}, {@code ""} and {@code []} are not truthy and fall through). When the
 *     result has both {@code bytes} and {@code blockcount}, blockcount ends the test (as OpenWISP's {@code -k} wins);
 *     when it has both {@code reverse} and {@code bidirectional}, bidirectional wins (OpenWISP's {@code --bidir}).</li>
 * </ul>
 */
public final class CheckParams {

    /** The secret keys of an iperf3 document: stored encrypted, never returned or published. */
    public static final Set<String> SECRET_KEYS = Set.of("password", "rsa_public_key");

    /** iperf3 RSA authentication: all three or none (OpenWISP's schema {@code dependencies}). */
    private static final List<String> AUTH_KEYS = List.of("username", "password", "rsa_public_key");
    /** OpenWISP's {@code password}: 1-20 characters, here printable ASCII (it travels in an environment variable). */
    private static final Pattern PASSWORD = Pattern.compile("^[\\x20-\\x7e]{1,20}$");

    /** The event records read as a request: no unknown key, no null, no coercion, no trailing content. */
    private static final ObjectMapper STRICT = strictMapper();

    /** Option names of {@code client_options} (scalars) and of its {@code tcp} / {@code udp}, as the records name them. */
    private static final List<String> CLIENT_OPTIONS = jsonNames(Iperf3Options.ClientOptions.class);
    private static final List<String> MODE_OPTIONS = jsonNames(Iperf3Options.Tcp.class);

    private CheckParams() {
    }

    private static ObjectMapper strictMapper() {
        return StrictJson.apply(EventJson.mapper());
    }

    /** The JSON names of a record's scalar components (nested records left out). */
    private static List<String> jsonNames(Class<?> record) {
        PropertyNamingStrategies.SnakeCaseStrategy snake = new PropertyNamingStrategies.SnakeCaseStrategy();
        List<String> names = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (!c.getType().isRecord()) {
                names.add(snake.translate(c.getName()));
            }
        }
        return List.copyOf(names);
    }

    // ---- reading documents

    /**
     * An iperf3 document (a check's {@code params} or an organization's configuration) as its record, the secret
     * keys checked and left out. Null or absent: the defaults. Throws a 400 naming every wrong field
     * ({@code prefix} + JSON path; an empty prefix names the fields from the document's root).
     */
    public static Iperf3Options iperf3(JsonNode doc, String prefix) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return Iperf3Options.defaults();
        }
        if (!doc.isObject()) {
            throw ProblemException.validation(field(prefix, null), "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>(secretErrors(doc, prefix));
        Iperf3Options options = null;
        try {
            options = read(publicPart(doc), Iperf3Options.class, prefix, SECRET_KEYS);
        } catch (ProblemException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return options;
    }

    /** Ping options ({@code count}, {@code interval}, {@code bytes}, {@code timeout}); null or absent: the defaults. */
    public static PingOptions ping(JsonNode doc, String prefix) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return PingOptions.defaults();
        }
        if (!doc.isObject()) {
            throw ProblemException.validation(field(prefix, null), "must be a JSON object");
        }
        return read(doc, PingOptions.class, prefix, Set.of());
    }

    /**
     * The record, or a 400 whose fields are {@code prefix} + the JSON path inside the document; {@code alsoKnown}
     * are the keys the document may hold besides the record's (the secret keys).
     */
    private static <T> T read(JsonNode doc, Class<T> type, String prefix, Set<String> alsoKnown) {
        ProblemException problem;
        try {
            String nullAt = nullAt(doc, null);
            if (nullAt != null) {
                // the records take null as "left out"; a document says so by leaving the key out
                throw ProblemException.validation(nullAt, "must not be null: leave the option out for its default");
            }
            return STRICT.treeToValue(doc, type);
        } catch (ProblemException e) {
            problem = e;
        } catch (UnrecognizedPropertyException e) {
            Set<String> known = new TreeSet<>(e.getPath().size() == 1 ? alsoKnown : Set.of());
            e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            problem = ProblemException.validation(ProblemMappers.fromJson(e).errors().get(0).field(),
                    "unknown option; known options: " + String.join(", ", known));
        } catch (JsonProcessingException e) {
            problem = ProblemMappers.fromJson(e);
        } catch (InvalidFieldException e) {
            problem = ProblemException.validation(e.field(), e.reason());
        }
        throw ProblemException.validation(problem.errors().stream()
                .map(error -> new FieldError(field(prefix, "body".equals(error.field()) ? null : error.field()),
                        error.message()))
                .toList());
    }

    /** The path of the first null value in a document, or null. */
    private static String nullAt(JsonNode node, String path) {
        if (node.isNull()) {
            return path;
        }
        for (var it = node.fields(); it.hasNext();) {
            var e = it.next();
            String found = nullAt(e.getValue(), path == null ? e.getKey() : path + "." + e.getKey());
            if (found != null) {
                return found;
            }
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            String found = nullAt(node.get(i), (path == null ? "" : path) + "[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String field(String prefix, String path) {
        if (prefix == null || prefix.isEmpty()) {
            return path == null ? "body" : path;
        }
        return path == null ? prefix : path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    // ---- secret splitting

    /** The authentication keys go together, and the secret ones have their syntax. */
    private static List<FieldError> secretErrors(JsonNode doc, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        long given = AUTH_KEYS.stream().filter(doc::has).count();
        if (given != 0 && given != AUTH_KEYS.size()) {
            for (String key : AUTH_KEYS) {
                if (!doc.has(key)) {
                    errors.add(new FieldError(field(prefix, key),
                            "username, password and rsa_public_key go together: all three or none"));
                }
            }
        }
        JsonNode password = doc.get("password");
        if (password != null && (!password.isTextual() || !PASSWORD.matcher(password.asText()).matches())) {
            errors.add(new FieldError(field(prefix, "password"), "must be 1 to 20 printable ASCII characters"));
        }
        JsonNode key = doc.get("rsa_public_key");
        if (key != null && (!key.isTextual() || !isPublicKey(key.asText()))) {
            errors.add(new FieldError(field(prefix, "rsa_public_key"), "must be an RSA public key (PEM, its base64 body, or OpenSSH ssh-rsa)"));
        }
        return errors;
    }

    /** A real RSA public key: PEM (SubjectPublicKeyInfo or PKCS#1), its base64 body, or OpenSSH ({@code RsaPublicKeys}). */
    static boolean isPublicKey(String text) {
        return RsaPublicKeys.parse(text).isPresent();
    }

    /**
     * The SubjectPublicKeyInfo PEM iperf3 reads, from any form {@link #isPublicKey} accepts (OpenWISP completes a
     * bare body the same way in {@code _get_compelete_rsa_key}); a stored text that is no key is wrapped as before.
     */
    public static String completePem(String key) {
        return RsaPublicKeys.parse(key).map(RsaPublicKeys::pem).orElseGet(() -> {
            String k = key.strip();
            if (k.startsWith("-----BEGIN")) {
                return k.endsWith("\n") ? k : k + "\n";
            }
            return "-----BEGIN PUBLIC KEY-----\n" + k + "\n-----END PUBLIC KEY-----\n";
        });
    }

    /** The document without its secret keys. */
    public static ObjectNode publicPart(JsonNode doc) {
        ObjectNode copy = doc == null || !doc.isObject() ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) doc).deepCopy();
        SECRET_KEYS.forEach(copy::remove);
        return copy;
    }

    /** The secret keys of the document, or null when it has none. */
    public static ObjectNode secretPart(JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            return null;
        }
        ObjectNode secret = JsonNodeFactory.instance.objectNode();
        for (String key : SECRET_KEYS) {
            if (doc.hasNonNull(key)) {
                secret.set(key, doc.get(key));
            }
        }
        return secret.isEmpty() ? null : secret;
    }

    // ---- effective values

    /** OpenWISP's truthiness: null, false, 0, "", [] and {} are false. */
    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0;
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        if (v.isContainerNode()) {
            return v.size() > 0;
        }
        return true;
    }

    /** {@code _get_param}: check's value if truthy, else the organization's if truthy, else null (default). */
    static JsonNode pick(JsonNode check, JsonNode org, String dottedKey) {
        JsonNode c = deepGet(check, dottedKey);
        if (truthy(c)) {
            return c;
        }
        JsonNode o = deepGet(org, dottedKey);
        return truthy(o) ? o : null;
    }

    static JsonNode deepGet(JsonNode node, String dottedKey) {
        JsonNode cur = node;
        for (String k : dottedKey.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(k);
        }
        return cur;
    }

    /** The effective iperf3 options of a check (check parameters, then organization configuration, then defaults). */
    public static Iperf3Options effectiveIperf3(JsonNode check, JsonNode org) {
        ObjectNode co = JsonNodeFactory.instance.objectNode();
        for (String key : CLIENT_OPTIONS) {
            JsonNode v = pick(check, org, "client_options." + key);
            if (v != null) {
                co.set(key, v);
            }
        }
        for (String mode : List.of("tcp", "udp")) {
            ObjectNode m = co.putObject(mode);
            for (String key : MODE_OPTIONS) {
                JsonNode v = pick(check, org, "client_options." + mode + "." + key);
                if (v != null) {
                    m.set(key, v);
                }
            }
        }
        if (truthy(co.get("blockcount"))) {
            co.remove("bytes");
        }
        if (truthy(co.get("bidirectional"))) {
            co.remove("reverse");
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        JsonNode host = pick(check, org, "host");
        doc.set("host", host == null ? JsonNodeFactory.instance.arrayNode() : host);
        doc.set("client_options", co);
        JsonNode username = pick(check, org, "username");
        if (username != null) {
            doc.set("username", username);
        }
        return EventJson.read(doc.toString(), Iperf3Options.class);
    }

    /** The effective iperf3 authentication secret ({@code password}, {@code rsa_public_key}), each as OpenWISP picks it. */
    public static String effectiveSecret(JsonNode checkSecret, JsonNode orgSecret, String key) {
        JsonNode v = pick(checkSecret, orgSecret, key);
        return v == null ? null : v.asText();
    }
}
