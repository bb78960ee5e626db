package io.bandwatch.platform.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/** Deserializers that apply {@link Text} to every string of a request body: fields, and free-form JSON trees. */
final class StrictText {

    private StrictText() {
    }

    /** Strings: only a JSON string (no number or boolean coerced), checked by {@link Text}. */
    static final class Strings extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null) {
                String problem = Text.problem(value);
                if (problem != null) {
                    throw new InvalidTextException(p, problem);
                }
            }
            return value;
        }

        @Override
        public boolean isCachable() {
            return true;
        }
    }

    /** Free-form JSON ({@code params}, imports): every key and text inside checked by {@link Text}. */
    static final class Trees extends JsonDeserializer<JsonNode> {
        @SuppressWarnings("unchecked")
        private final JsonDeserializer<JsonNode> delegate =
                (JsonDeserializer<JsonNode>) (JsonDeserializer<?>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = delegate.deserialize(p, ctxt);
            String bad = check(tree, "");
            if (bad != null) {
                throw new InvalidTextException(p, bad);
            }
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }

        private static String check(JsonNode node, String at) {
            if (node.isTextual()) {
                String problem = Text.problem(node.textValue());
                return problem == null ? null : where(at) + problem;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String keyProblem = Text.problem(e.getKey());
                    if (keyProblem != null) {
                        return where(at) + "a key " + keyProblem;
                    }
                    String inner = check(e.getValue(), at.isEmpty() ? e.getKey() : at + "." + e.getKey());
                    if (inner != null) {
                        return inner;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    String inner = check(node.get(i), at + "[" + i + "]");
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return null;
        }

        private static String where(String at) {
            return at.isEmpty() ? "" : at + ": ";
        }
    }
}
