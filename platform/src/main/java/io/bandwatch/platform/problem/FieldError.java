package io.bandwatch.platform.problem;

/** One wrong input: {@code field} as the API spells it (snake_case JSON path, query parameter or header name). */
public record FieldError(String field, String message) {
}
