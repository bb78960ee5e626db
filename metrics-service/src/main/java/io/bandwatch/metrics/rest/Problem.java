package io.bandwatch.metrics.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** RFC 9457 problem details, as every Bandwatch service answers errors. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");
    public static final String TYPE_PREFIX = "https://bandwatch.dev/problems/";

    /** The field a problem is about. */
    public record FieldError(String field, String message) {
    }

    /** Thrown by resources; mapped to its problem. */
    public static final class Exception extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public Exception(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public static Problem of(int status, String slug, String title, String detail, String instance,
            List<FieldError> errors) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance, errors);
    }

    public static Exception notFound(String what, String instance) {
        return new Exception(of(404, "not-found", "Not found", what + " not found", instance, null));
    }

    public static Exception invalid(String field, String message, String instance) {
        return new Exception(of(400, "validation", "Invalid request", field + ": " + message, instance,
                List.of(new FieldError(field, message))));
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
