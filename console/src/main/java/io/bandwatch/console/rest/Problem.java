package io.bandwatch.console.rest;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem of the console itself, thrown anywhere and answered by {@link ProblemMapper} as
 * {@code application/problem+json}: {@code type, title, status, detail, errors[{field, message}]}.
 */
public class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String TYPE_PREFIX = "https://bandwatch.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public record FieldError(String field, String message) {
    }

    public record Body(String type, String title, int status, String detail, String instance,
            List<FieldError> errors) {
    }

    public Problem(int status, String slug, String title, String detail, List<FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static Problem validation(String field, String message) {
        return new Problem(400, "validation", "Invalid request", field + ": " + message,
                List.of(new FieldError(field, message)), null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, null, null);
    }

    public static Problem noSession() {
        return unauthorized("no valid session: sign in");
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, null, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, null, null);
    }

    public static Problem tooManyRequests(String detail, String retryAfter) {
        return new Problem(429, "too-many-requests", "Too many requests", detail, null,
                retryAfter == null ? null : Map.of("Retry-After", retryAfter));
    }

    public static Problem unreachable(String service) {
        return new Problem(502, "service-unreachable", "Bad gateway", service + " is unreachable", null, null);
    }

    public static Problem badAnswer(String service, int status) {
        return new Problem(502, "service-error", "Bad gateway", service + " answered " + status, null, null);
    }

    public static Problem timeout(String service) {
        return new Problem(504, "service-timeout", "Gateway timeout", service + " did not answer in time", null,
                null);
    }

    public int status() {
        return status;
    }

    public Body body(String instance) {
        return new Body(TYPE_PREFIX + slug, title, status, getMessage(), instance, errors);
    }

    public Response toResponse(String instance) {
        Response.ResponseBuilder builder = Response.status(status).type(MEDIA_TYPE).entity(body(instance));
        headers.forEach(builder::header);
        return builder.build();
    }
}
