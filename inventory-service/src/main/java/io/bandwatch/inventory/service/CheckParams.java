package io.bandwatch.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.HostNames;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.inventory.security.RsaPublicKeys;
import io.bandwatch.events.IperfSize;
import io.bandwatch.events.PingOptions;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.problem.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Check parameters: strict validation of the documents users send (OpenWISP Monitoring's iperf3 JSON shape,
 * the ping options of DESIGN.md), splitting of the secret parts, and resolution of the effective options.
 *
 * <p>Resolution follows OpenWISP Monitoring's {@code Iperf3._get_param} exactly: for every option, the
 * check's value if it is truthy, else the organization's value if it is truthy, else the built-in default
 * ({@code 0}, {@code false}, {@code ""} and {@code []} are not truthy and fall through). When the result
 * has both {@code bytes} and {@code blockcount}, blockcount ends the test (as OpenWISP's {@code -k} wins);
 * when it has both {@code reverse} and {@code bidirectional}, bidirectional wins (OpenWISP's {@code --bidir}).
 */
public final class CheckParams {

    public static final ObjectMapper MAPPER = EventJson.mapper();

    /** The secret keys of an iperf3 document: stored encrypted, never returned or published. */
    public static final Set<String> SECRET_KEYS = Set.of("password", "rsa_public_key");

    private static final Pattern USERNAME = Pattern.compile(Iperf3Options.USERNAME_REGEX);
    private static final Pattern PASSWORD = Pattern.compile("^[\\x20-\\x7e]{1,20}$");

    /** Leaf options of client_options and their kinds, in OpenWISP's schema order. */
    private static final Map<String, Kind> CLIENT_OPTIONS = orderedKinds();

    private enum Kind { PORT, TIME, SIZE_OR_EMPTY, SIZE, PARALLEL, BOOL, CONNECT_TIMEOUT }

    private CheckParams() {
    }

    private static Map<String, Kind> orderedKinds() {
        Map<String, Kind> m = new java.util.LinkedHashMap<>();
        m.put("port", Kind.PORT);
        m.put("time", Kind.TIME);
        m.put("bytes", Kind.SIZE_OR_EMPTY);
        m.put("blockcount", Kind.SIZE_OR_EMPTY);
        m.put("window", Kind.SIZE);
        m.put("parallel", Kind.PARALLEL);
        m.put("reverse", Kind.BOOL);
        m.put("bidirectional", Kind.BOOL);
        m.put("connect_timeout", Kind.CONNECT_TIMEOUT);
        return m;
    }

    /** Throws a 400 problem naming every invalid field ({@code prefix} + JSON path). */
    public static void validateIperf3(JsonNode doc, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (doc == null || doc.isNull()) {
            return;
        }
        if (!doc.isObject()) {
            throw ProblemException.validation(prefix, "must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String field = join(prefix, key);
            switch (key) {
                case "host" -> {
                    if (!v.isArray()) {
                        errors.add(new FieldError(field, "must be an array of host names or IP addresses"));
                    } else {
                        for (int i = 0; i < v.size(); i++) {
                            JsonNode h = v.get(i);
                            if (!h.isTextual() || !HostNames.isValid(h.asText())) {
                                errors.add(new FieldError(field + "[" + i + "]", "not a host name or IP address"));
                            }
                        }
                    }
                }
                case "username" -> {
                    if (!v.isTextual() || !USERNAME.matcher(v.asText()).matches()) {
                        errors.add(new FieldError(field, "must be 1 to 20 printable ASCII characters without spaces"));
                    }
                }
                case "password" -> {
                    if (!v.isTextual() || !PASSWORD.matcher(v.asText()).matches()) {
                        errors.add(new FieldError(field, "must be 1 to 20 printable ASCII characters"));
                    }
                }
                case "rsa_public_key" -> {
                    if (!v.isTextual() || !isPublicKey(v.asText())) {
                        errors.add(new FieldError(field, "must be an RSA public key (PEM, its base64 body, or OpenSSH ssh-rsa)"));
                    }
                }
                case "client_options" -> validateClientOptions(v, field, errors);
                default -> errors.add(new FieldError(field, "unknown option"));
            }
        }
        int auth = (doc.has("username") ? 1 : 0) + (doc.has("password") ? 1 : 0) + (doc.has("rsa_public_key") ? 1 : 0);
        if (auth != 0 && auth != 3) {
            for (String k : List.of("username", "password", "rsa_public_key")) {
                if (!doc.has(k)) {
                    errors.add(new FieldError(join(prefix, k),
                            "username, password and rsa_public_key go together: all three or none"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    static String join(String prefix, String key) {
        return prefix == null || prefix.isEmpty() ? key : prefix + "." + key;
    }

    private static void validateClientOptions(JsonNode v, String field, List<FieldError> errors) {
        if (!v.isObject()) {
            errors.add(new FieldError(field, "must be a JSON object"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode o = e.getValue();
            String f = field + "." + key;
            if (key.equals("tcp") || key.equals("udp")) {
                if (!o.isObject()) {
                    errors.add(new FieldError(f, "must be a JSON object"));
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it2 = o.fields(); it2.hasNext();) {
                    Map.Entry<String, JsonNode> m = it2.next();
                    String ff = f + "." + m.getKey();
                    if (!m.getKey().equals("bitrate") && !m.getKey().equals("length")) {
                        errors.add(new FieldError(ff, "unknown option"));
                    } else if (!m.getValue().isTextual() || !IperfSize.isValid(m.getValue().asText())) {
                        errors.add(new FieldError(ff, "must be an iperf3 size such as \"0\", \"128K\", \"30M\""));
                    }
                }
                continue;
            }
            Kind kind = CLIENT_OPTIONS.get(key);
            if (kind == null) {
                errors.add(new FieldError(f, "unknown option"));
                continue;
            }
            switch (kind) {
                case PORT -> integer(o, f, 1, 65535, errors);
                case TIME -> integer(o, f, 1, Iperf3Options.ClientOptions.MAX_TIME, errors);
                case PARALLEL -> integer(o, f, 1, Iperf3Options.ClientOptions.MAX_PARALLEL, errors);
                case CONNECT_TIMEOUT -> integer(o, f, 1, Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT, errors);
                case BOOL -> {
                    if (!o.isBoolean()) {
                        errors.add(new FieldError(f, "must be true or false"));
                    }
                }
                case SIZE -> {
                    if (!o.isTextual() || !IperfSize.isValid(o.asText())) {
                        errors.add(new FieldError(f, "must be an iperf3 size such as \"0\", \"128K\", \"30M\""));
                    }
                }
                case SIZE_OR_EMPTY -> {
                    if (!o.isTextual() || !(o.asText().isEmpty() || IperfSize.isValid(o.asText()))) {
                        errors.add(new FieldError(f, "must be \"\" or an iperf3 size such as \"100M\""));
                    }
                }
            }
        }
        if (truthy(v.get("reverse")) && truthy(v.get("bidirectional"))) {
            errors.add(new FieldError(field + ".bidirectional", "reverse and bidirectional cannot both be true"));
        }
        if (truthy(v.get("bytes")) && truthy(v.get("blockcount"))) {
            errors.add(new FieldError(field + ".blockcount", "bytes and blockcount cannot both be set"));
        }
    }

    private static void integer(JsonNode o, String f, int min, int max, List<FieldError> errors) {
        if (!o.isIntegralNumber() || !o.canConvertToInt()) {
            errors.add(new FieldError(f, "must be an integer between " + min + " and " + max));
        } else if (o.intValue() < min || o.intValue() > max) {
            errors.add(new FieldError(f, "must be between " + min + " and " + max + ", was " + o.intValue()));
        }
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

    /** Ping options: count, interval, bytes, timeout; unknown keys and out-of-range values are rejected. */
    public static PingOptions validatePing(JsonNode doc, String prefix) {
        if (doc == null || doc.isNull()) {
            return PingOptions.defaults();
        }
        if (!doc.isObject()) {
            throw ProblemException.validation(prefix, "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, int[]> bounds = Map.of("count", new int[] {2, 20}, "interval", new int[] {10, 1000},
                "bytes", new int[] {12, 65508}, "timeout", new int[] {5, 1500});
        for (Iterator<String> it = doc.fieldNames(); it.hasNext();) {
            String key = it.next();
            int[] b = bounds.get(key);
            if (b == null) {
                errors.add(new FieldError(prefix + "." + key, "unknown option"));
            } else {
                integer(doc.get(key), prefix + "." + key, b[0], b[1], errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return PingOptions.of(intOrNull(doc, "count"), intOrNull(doc, "interval"), intOrNull(doc, "bytes"),
                intOrNull(doc, "timeout"));
    }

    private static Integer intOrNull(JsonNode doc, String key) {
        return doc.has(key) ? doc.get(key).intValue() : null;
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
        for (String key : CLIENT_OPTIONS.keySet()) {
            JsonNode v = pick(check, org, "client_options." + key);
            if (v != null) {
                co.set(key, v);
            }
        }
        for (String mode : List.of("tcp", "udp")) {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            for (String key : List.of("bitrate", "length")) {
                JsonNode v = pick(check, org, "client_options." + mode + "." + key);
                if (v != null) {
                    m.set(key, v);
                }
            }
            co.set(mode, m);
        }
        if (truthy(co.get("blockcount"))) {
            co.remove("bytes");
        }
        if (truthy(co.get("bidirectional"))) {
            co.remove("reverse");
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        JsonNode host = pick(check, org, "host");
        doc.set("host", host == null ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) host);
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

    public static JsonNode parse(String json) {
        try {
            return json == null ? null : MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    public static String write(JsonNode node) {
        return node == null ? null : node.toString();
    }
}
