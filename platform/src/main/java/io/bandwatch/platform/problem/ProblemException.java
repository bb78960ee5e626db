package io.bandwatch.platform.problem;

import io.bandwatch.events.InvalidFieldException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error a service answers with a {@link Problem}; thrown by services and resources, mapped by
 * {@link ProblemMappers}. The subclasses are the kinds every service uses; the factories build them.
 * The detail must never echo a request value (it could be a secret typed into the wrong field).
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String title;
    private final transient List<FieldError> errors;
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(int status, String slug, String title, String detail, List<FieldError> errors) {
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

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Problem toProblem(String instance) {
        return Problem.of(status, slug, title, getMessage(), instance, errors);
    }

    /** A response header to send with the problem ({@code Retry-After} of a 429, ...); returns this. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The response: problem+json with {@code instance}, the headers given, and the challenge of a 401. */
    public Response toResponse(String instance) {
        Response response = toProblem(instance).toResponse();
        if (headers.isEmpty()) {
            return response;
        }
        Response.ResponseBuilder builder = Response.fromResponse(response);
        headers.forEach(builder::header);
        return builder.build();
    }

    /** 400: fields or parameters of the request are wrong; {@code errors} names each. */
    public static class BadRequest extends ProblemException {
        private static final long serialVersionUID = 1L;

        public BadRequest(List<FieldError> errors) {
            super(400, "validation", "Invalid request", detail(errors), errors);
        }

        private static String detail(List<FieldError> errors) {
            if (errors == null || errors.isEmpty()) {
                return "invalid request";
            }
            return errors.get(0).field() + ": " + errors.get(0).message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        }
    }

    /** 401: no valid bearer token. */
    public static class Unauthorized extends ProblemException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String detail) {
            super(401, "unauthorized", "Unauthorized", detail, null);
        }
    }

    /** 403: a member of the organization whose role is too low, or a token without the group. */
    public static class Forbidden extends ProblemException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String detail) {
            super(403, "forbidden", "Forbidden", detail, null);
        }
    }

    /** 404: unknown or another organization's object (the same answer, never 403). */
    public static class NotFound extends ProblemException {
        private static final long serialVersionUID = 1L;

        public NotFound(String what) {
            super(404, "not-found", "Not found", what + " not found", null);
        }
    }

    /** 409: a duplicate (name, username, …), naming the field when there is one. */
    public static class Conflict extends ProblemException {
        private static final long serialVersionUID = 1L;

        public Conflict(String field, String detail) {
            super(409, "conflict", "Conflict", detail, field == null ? null : List.of(new FieldError(field, detail)));
        }
    }

    /** 412: stale {@code If-Match} version. */
    public static class PreconditionFailed extends ProblemException {
        private static final long serialVersionUID = 1L;

        public PreconditionFailed(String detail) {
            super(412, "stale-version", "Precondition failed", detail, List.of(new FieldError("If-Match", detail)));
        }
    }

    /** 428: an update without {@code If-Match}. */
    public static class PreconditionRequired extends ProblemException {
        private static final long serialVersionUID = 1L;

        public PreconditionRequired() {
            super(428, "version-required", "Precondition required",
                    "updates need an If-Match header with the current version (the ETag of the resource)",
                    List.of(new FieldError("If-Match", "required")));
        }
    }

    /** 503: a dependency (database, InfluxDB, …) cannot answer now. */
    public static class Unavailable extends ProblemException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String detail) {
            super(503, "unavailable", "Service unavailable", detail, null);
        }
    }

    public static BadRequest validation(String field, String message) {
        return new BadRequest(List.of(new FieldError(field, message)));
    }

    /**
     * 400 for a field an {@code events} record refused, with its reason less the quoted value the record names
     * ({@code "not an iperf3 size: '10M; x'"} answers {@code "not an iperf3 size"}): a detail never echoes input.
     */
    public static BadRequest invalidField(InvalidFieldException e) {
        return validation(e.field(), withoutQuotedValues(e.reason()));
    }

    /** The text without its single-quoted parts (and the colon before a trailing one). */
    static String withoutQuotedValues(String reason) {
        return reason == null ? "invalid value" : reason.replaceAll(":? *'[^']*'", "").strip();
    }

    public static BadRequest validation(List<FieldError> errors) {
        return new BadRequest(errors);
    }

    public static Unauthorized unauthorized(String detail) {
        return new Unauthorized(detail);
    }

    public static Forbidden forbidden(String detail) {
        return new Forbidden(detail);
    }

    public static NotFound notFound(String what) {
        return new NotFound(what);
    }

    public static Conflict conflict(String field, String detail) {
        return new Conflict(field, detail);
    }

    public static PreconditionFailed preconditionFailed(String detail) {
        return new PreconditionFailed(detail);
    }

    public static PreconditionRequired preconditionRequired() {
        return new PreconditionRequired();
    }

    public static Unavailable unavailable(String detail) {
        return new Unavailable(detail);
    }
}
