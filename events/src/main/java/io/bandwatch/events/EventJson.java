package io.bandwatch.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.DurationDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of the events, the same in every service.
 *
 * <ul>
 * <li>Field names: snake_case, fixed by annotations on the records (any ObjectMapper agrees).</li>
 * <li>Instants and durations as ISO-8601 strings ({@code "2026-05-01T02:00:00Z"}, {@code "PT48H"}); numbers
 *     (epoch seconds) are refused, as by the schemas.</li>
 * <li>Absent optional fields are omitted; readers take an explicit null as absent.</li>
 * <li>An unknown field is refused, at every level, as by the REST APIs (the platform's {@code StrictJson} applies
 *     {@link #configure} and adds only its checks of text): a record that carries one is unreadable and goes to the
 *     consumer's dead-letter topic. So a new field reaches consumers before producers write it, or comes as a new
 *     event version (the upgrade order: {@code events/README.md}).</li>
 * <li>A repeated key is refused (also inside a tree), and so is anything after the value.</li>
 * <li>No scalar coercion: a string is not a number, a number is not a string or a boolean, a
 *     fraction is not an integer, null is not a primitive (so code and JSON Schema agree).</li>
 * <li>A bound tightened after v1 is clamped when an event is read, never refused: compacted topics and the
 *     projections keep records written under the old bound for ever ({@link #TIGHTENED_BOUNDS}). Only
 *     {@link #read} does this; {@link #mapper()} and {@link #configure} (the REST rules) refuse such a value.</li>
 * </ul>
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectWriter WRITER = MAPPER.writer();
    /** Reads events: {@link #MAPPER} plus the tolerance of bounds tightened after v1 ({@link #TIGHTENED_BOUNDS}). */
    private static final ObjectReader READER = newMapper().registerModule(tightenedBounds()).reader();
    private static final Pattern MISSING_CREATOR_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

    private EventJson() {
    }

    /** A new ObjectMapper with the event configuration (a copy: changing it does not change this class). */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    /**
     * Applies the JSON rules of events and REST alike to a mapper (the platform's {@code StrictJson} applies them to
     * Quarkus's own): Java time module, ISO-8601 dates and durations, no scalar coercions, null not accepted for
     * primitives, no unknown field, no repeated key (also in trees), nothing after the value.
     * {@code FAIL_ON_MISSING_CREATOR_PROPERTIES} stays off: required fields are marked
     * {@code @JsonProperty(required = true)} on the records, and new optional fields stay readable.
     */
    public static void configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.registerModule(new SimpleModule("bandwatch-iso-strings")
                .addDeserializer(Instant.class, new IsoStringOnly<>(Instant.class, InstantDeserializer.INSTANT))
                .addDeserializer(Duration.class, new IsoStringOnly<>(Duration.class, DurationDeserializer.INSTANCE)));
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** The UTF-8 JSON of an event (or of any record of this package). */
    public static byte[] write(Object value) {
        Objects.requireNonNull(value, "value");
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new EventFormatException(label(value.getClass()), null, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String writeString(Object value) {
        Objects.requireNonNull(value, "value");
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EventFormatException(label(value.getClass()), null, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads UTF-8 JSON; any problem is an {@link EventFormatException} naming the event and the field. */
    public static <T> T read(byte[] json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (json == null || json.length == 0) {
            throw new EventFormatException(label(type), null, "empty payload", null);
        }
        try {
            return READER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw translate(label(type), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (json == null || json.isBlank()) {
            throw new EventFormatException(label(type), null, "empty payload", null);
        }
        try {
            return READER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw translate(label(type), e);
        }
    }

    private static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        configure(mapper);
        return mapper;
    }

    /** {@code check.result v1} for events, the simple class name otherwise. */
    static String label(Class<?> type) {
        return EventType.find(type).map(EventType::label).orElse(type.getSimpleName());
    }

    /** Turns a Jackson or validation failure into one message naming the full JSON path of the field. */
    static EventFormatException translate(String label, Throwable e) {
        if (e instanceof EventFormatException efe) {
            return efe;
        }
        if (e instanceof JsonMappingException jme) {
            List<String> path = path(jme);
            if (jme instanceof ValueInstantiationException) {
                for (Throwable cause = jme.getCause(); cause != null; cause = cause.getCause()) {
                    if (cause instanceof InvalidFieldException ife) {
                        String field = join(path, ife.field());
                        return new EventFormatException(label, field, "invalid field '" + field + "': " + ife.reason(), e);
                    }
                    if (cause instanceof NullPointerException npe && npe.getMessage() != null) {
                        String field = join(path, npe.getMessage());
                        return new EventFormatException(label, field, "missing required field '" + field + "'", e);
                    }
                }
                Throwable cause = jme.getCause() == null ? jme : jme.getCause();
                String field = String.join(".", path);
                return new EventFormatException(label, field.isEmpty() ? null : field,
                        "invalid value" + (field.isEmpty() ? "" : " at '" + field + "'") + ": " + cause.getMessage(), e);
            }
            String original = String.valueOf(jme.getOriginalMessage());
            Matcher missing = MISSING_CREATOR_PROPERTY.matcher(original);
            if (missing.find()) {
                String field = join(path, missing.group(1));
                return new EventFormatException(label, field, "missing required field '" + field + "'", e);
            }
            String field = join(path, null);
            if (jme instanceof UnrecognizedPropertyException) {
                return new EventFormatException(label, field, "unknown field '" + field + "'", e);
            }
            if (jme instanceof InvalidNullException || original.startsWith("Cannot map `null` into type")) {
                return new EventFormatException(label, field, "missing required field '" + field + "' (null)", e);
            }
            if (jme instanceof MismatchedInputException && original.startsWith("No content to map")) {
                return new EventFormatException(label, null, "empty payload", e);
            }
            if (!field.isEmpty()) {
                return new EventFormatException(label, field, "invalid field '" + field + "': " + firstLine(original), e);
            }
            return new EventFormatException(label, null, "invalid payload: " + firstLine(original), e);
        }
        if (e instanceof JacksonException je) {
            String where = je.getLocation() == null ? ""
                    : " (line " + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr() + ")";
            return new EventFormatException(label, null, "malformed JSON: " + firstLine(je.getOriginalMessage()) + where, e);
        }
        return new EventFormatException(label, null, "cannot read: " + e, e);
    }

    /** The field names and indexes of a Jackson path, e.g. {@code [iperf3, client_options]} or {@code [tags[2]]}. */
    private static List<String> path(JsonMappingException e) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0 && !path.isEmpty()) {
                path.set(path.size() - 1, path.get(path.size() - 1) + "[" + ref.getIndex() + "]");
            }
        }
        return path;
    }

    /**
     * Joins the Jackson path (down to the object that failed) and the field named by that object,
     * which may already repeat the end of the path (records name nested fields as seen from the
     * enclosing object, e.g. {@code client_options.tcp.bitrate} thrown at path {@code [iperf3, client_options, tcp]}).
     */
    static String join(List<String> path, String field) {
        if (field == null) {
            return String.join(".", path);
        }
        List<String> segments = Arrays.asList(field.split("\\."));
        for (int overlap = Math.min(path.size(), segments.size()); overlap >= 0; overlap--) {
            if (path.subList(path.size() - overlap, path.size()).equals(segments.subList(0, overlap))) {
                List<String> full = new ArrayList<>(path.subList(0, path.size() - overlap));
                full.addAll(segments);
                return String.join(".", full);
            }
        }
        throw new AssertionError("overlap 0 always matches");
    }

    /**
     * Bounds tightened after v1, clamped when an event is read: {@code client_options.connect_timeout} was any
     * positive {@code int} before it was capped at {@link Iperf3Options.ClientOptions#MAX_CONNECT_TIMEOUT} (OpenWISP's
     * bound), and check snapshots of that time stay on {@code inventory.checks} (compacted) and in the runner's
     * projection. Such a value reads as the cap, which is what the stores hold after their migrations (inventory
     * {@code V6}, runner {@code V7}); a snapshot is not dead-lettered for it.
     */
    static final String TIGHTENED_BOUNDS = "client_options.connect_timeout";

    private static SimpleModule tightenedBounds() {
        return new SimpleModule("bandwatch-tightened-bounds").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == Iperf3Options.ClientOptions.class
                        ? new ClampedConnectTimeout(deserializer) : deserializer;
            }
        });
    }

    /** Reads {@code client_options} with a {@code connect_timeout} above the cap as the cap, then as usual. */
    private static final class ClampedConnectTimeout extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        ClampedConnectTimeout(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new ClampedConnectTimeout(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.START_OBJECT)) {
                return super.deserialize(p, ctxt);
            }
            JsonNode tree = ctxt.readTree(p);
            JsonNode timeout = tree.get("connect_timeout");
            if (timeout != null && timeout.isInt()
                    && timeout.intValue() > Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT) {
                ((ObjectNode) tree).put("connect_timeout", Iperf3Options.ClientOptions.MAX_CONNECT_TIMEOUT);
            }
            try (JsonParser clamped = tree.traverse(p.getCodec())) {
                clamped.nextToken();
                return _delegatee.deserialize(clamped, ctxt);
            }
        }
    }

    /** Accepts only a JSON string for a java.time value, then parses it as JavaTimeModule does. */
    private static final class IsoStringOnly<T> extends StdDeserializer<T> {

        private static final long serialVersionUID = 1L;

        private final transient JsonDeserializer<T> delegate;

        IsoStringOnly(Class<T> type, JsonDeserializer<T> delegate) {
            super(type);
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p.currentToken(), p,
                        "expected an ISO-8601 string for %s", handledType().getSimpleName());
            }
            if (handledType() == Instant.class) {
                Instant canonical = CanonicalInstants.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (canonical != null) {
                    return (T) canonical;
                }
            }
            return delegate.deserialize(p, ctxt);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
