package io.bandwatch.platform.json;

import io.bandwatch.platform.problem.ParameterException;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Query, path and header parameters as strict as JSON bodies: booleans only {@code true}/{@code false}
 * ({@code ?enabled=maybe} is refused, not false), integers only digits, UUIDs only UUIDs, text per {@link Text};
 * a value that does not convert is a 400 naming the parameter (JAX-RS would answer a bare 404).
 */
@Provider
public class StrictParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = name(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) new Converter<>(name, "true or false", v -> switch (v) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException();
            });
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new Converter<>(name, "an integer", Integer::valueOf);
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new Converter<>(name, "an integer", Long::valueOf);
        }
        if (rawType == UUID.class) {
            return (ParamConverter<T>) new Converter<>(name, "a UUID", StrictParameters::uuid);
        }
        if (rawType == String.class) {
            return (ParamConverter<T>) new Converter<>(name, null, v -> {
                String problem = Text.problem(v);
                if (problem != null) {
                    throw new ParameterException(name, problem);
                }
                return v;
            });
        }
        return null;
    }

    private static UUID uuid(String value) {
        UUID uuid = UUID.fromString(value);
        // UUID.fromString accepts short groups ("1-2-3-4-5"): only the canonical form is an id
        if (!uuid.toString().equalsIgnoreCase(value)) {
            throw new IllegalArgumentException();
        }
        return uuid;
    }

    private static String name(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                return q.value();
            }
            if (a instanceof PathParam p) {
                return p.value();
            }
            if (a instanceof HeaderParam h) {
                return h.value();
            }
            if (a instanceof RestQuery q && !q.value().isEmpty()) {
                return q.value();
            }
            if (a instanceof RestPath p && !p.value().isEmpty()) {
                return p.value();
            }
            if (a instanceof RestHeader h && !h.value().isEmpty()) {
                return h.value();
            }
        }
        return null;
    }

    private record Converter<T>(String name, String expected, Function<String, T> parse) implements ParamConverter<T> {

        @Override
        public T fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return parse.apply(value);
            } catch (ParameterException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ParameterException(name, "invalid value: expected " + expected);
            }
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }
}
