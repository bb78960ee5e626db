package io.bandwatch.metrics.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A year's charts are some 6 000 numbers per answer: Jackson's fast double writer (Schubfach, the shortest digits that
 * read back as the same double) and parser instead of the JDK's {@code Double.toString} / {@code parseDouble}, which
 * were the largest part of the service's CPU time per chart request (issue 14, README "ChartsBench").
 */
@Singleton
public class FastDoubles implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
        mapper.enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);
    }
}
