package io.bandwatch.console.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the console's own endpoints as {@code application/problem+json}; nothing a client sends is a 500. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem, UriInfo uri) {
        return problem.toResponse(uri.getPath());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream().map(v -> {
            String path = v.getPropertyPath().toString();
            String field = path.substring(path.lastIndexOf('.') + 1);
            return new Problem.FieldError(snake(field), v.getMessage());
        }).toList();
        String detail = errors.isEmpty() ? "invalid request" : errors.get(0).field() + ": " + errors.get(0).message();
        return new Problem(400, "validation", "Invalid request", detail, errors, null).toResponse(uri.getPath());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return new Problem(400, "malformed-json", "Invalid request", "the body is not valid JSON of the expected shape",
                null, null).toResponse(uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String slug;
        String title;
        String detail;
        if (e instanceof NotFoundException) {
            slug = "not-found";
            title = "Not found";
            detail = "no such resource";
        } else if (e instanceof NotAllowedException) {
            slug = "method-not-allowed";
            title = "Method not allowed";
            detail = "method not allowed on this resource";
        } else if (e instanceof NotSupportedException) {
            slug = "unsupported-media-type";
            title = "Unsupported media type";
            detail = "send application/json";
        } else if (status >= 500) {
            LOG.error("request failed", e);
            slug = "internal";
            title = "Internal error";
            detail = "internal error";
        } else {
            slug = "bad-request";
            title = "Bad request";
            detail = "the request cannot be read";
        }
        return new Problem(status, slug, title, detail, null, null).toResponse(uri.getPath());
    }

    /** Anything else is the console's own fault: logged, answered as a 500 problem without its details. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("request failed", e);
        return new Problem(500, "internal", "Internal error", "internal error", null, null).toResponse(uri.getPath());
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
