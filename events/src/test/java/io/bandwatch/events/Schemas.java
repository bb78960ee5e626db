package io.bandwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The JSON Schemas of the events, loaded from the class path, with format assertions on. */
final class Schemas {

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    static final ObjectMapper PLAIN = new ObjectMapper();

    private static final Map<EventType, JsonNode> NODES = new EnumMap<>(EventType.class);
    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    private Schemas() {
    }

    static synchronized JsonNode node(EventType type) {
        return NODES.computeIfAbsent(type, t -> {
            try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(t.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("no schema resource " + t.schemaResource());
                }
                return PLAIN.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static synchronized JsonSchema schema(EventType type) {
        return SCHEMAS.computeIfAbsent(type, t -> FACTORY.getSchema(node(t), CONFIG));
    }

    static Set<ValidationMessage> validate(EventType type, JsonNode instance) {
        return schema(type).validate(instance);
    }

    /** Follows a local {@code $ref} ("#/$defs/name"); other nodes are returned as they are. */
    static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("non-local $ref " + ref);
            }
            node = root.at(ref.substring(1));
        }
        return node;
    }
}
