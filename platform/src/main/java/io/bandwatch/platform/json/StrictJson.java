package io.bandwatch.platform.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.bandwatch.events.EventJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The JSON rules of every service's REST API: the one rule set of REST and events, {@link EventJson#configure}
 * (ISO-8601 instants and durations, no scalar coercion: {@code "name": 123} and {@code "enabled": -1} are refused;
 * no unknown field, no repeated key, nothing after the value), plus what only text typed by a client needs: every
 * string free of NUL and lone surrogates and at most {@link Text#MAX_LENGTH} characters. Snake_case names come from
 * {@code quarkus.jackson.property-naming-strategy=SNAKE_CASE} in each service.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** The same rules on any mapper (tests, clients). */
    public static ObjectMapper apply(ObjectMapper mapper) {
        EventJson.configure(mapper);
        mapper.registerModule(new SimpleModule("bandwatch-strict-text")
                .addDeserializer(String.class, new StrictText.Strings())
                .addDeserializer(JsonNode.class, new StrictText.Trees()));
        return mapper;
    }

    @Override
    public int priority() {
        // after Quarkus's own customizer, which applies quarkus.jackson.* (it has the default priority)
        return MINIMUM_PRIORITY;
    }
}
