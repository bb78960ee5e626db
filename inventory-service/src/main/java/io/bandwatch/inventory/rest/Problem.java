package io.bandwatch.inventory.rest;

import java.util.List;

/**
 * An RFC 9457 problem, thrown anywhere and answered by {@link ProblemMapper} as
 * {@code application/problem+json}: {@code type, title, status, detail, instance, errors[{field, message}]}.
 */
public class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String TYPE_PREFIX = "https://bandwatch.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public record FieldError(String field, String message) {
    }

    public Problem(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public static Problem validation(String field, String message) {
        return new Problem(400, "validation", "Invalid request", field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public static Problem validation(List<FieldError> errors) {
        String detail = errors.isEmpty() ? "invalid request"
                : errors.get(0).field() + ": " + errors.get(0).message()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return new Problem(400, "validation", "Invalid request", detail, errors);
    }

    public static Problem notFound(String what) {
        return new Problem(404, "not-found", "Not found", what + " not found", null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, null);
    }

    public static Problem conflict(String field, String detail) {
        return new Problem(409, "conflict", "Conflict", detail,
                field == null ? null : List.of(new FieldError(field, detail)));
    }

    public static Problem preconditionFailed(String detail) {
        return new Problem(412, "stale-version", "Precondition failed", detail,
                List.of(new FieldError("If-Match", detail)));
    }

    public static Problem preconditionRequired() {
        return new Problem(428, "version-required", "Precondition required",
                "updates need an If-Match header with the current version (the ETag of the resource)",
                List.of(new FieldError("If-Match", "required")));
    }
}
