package io.bandwatch.alert.rest;

/** An API error with its status, problem slug and, for 400, the field at fault. */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String field;

    public ApiException(int status, String slug, String detail, String field) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "validation", message, field);
    }

    /** Unknown or foreign: the same answer, never a 403 for another organization's object. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", what + " not found", null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail, null);
    }

    public static ApiException conflict(String detail, String field) {
        return new ApiException(409, "conflict", detail, field);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String field() {
        return field;
    }
}
