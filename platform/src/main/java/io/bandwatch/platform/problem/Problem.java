package io.bandwatch.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The body of every error of every service, RFC 9457 problem details:
 * {@code {"type": "https://bandwatch.dev/problems/<slug>", "title", "status", "detail", "instance", "errors": [{"field", "message"}]}}.
 * Thrown as a {@link ProblemException}, answered by {@link ProblemMappers}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = new MediaType("application", "problem+json");
    public static final String TYPE_PREFIX = "https://bandwatch.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail, String instance,
            List<FieldError> errors) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /** The response: problem+json, and {@code WWW-Authenticate: Bearer} on 401. */
    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(status).type(MEDIA).entity(this);
        if (status == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        return builder.build();
    }
}
