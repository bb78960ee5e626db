package io.bandwatch.metrics.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every REST error as RFC 9457 problem details. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(Problem.Exception e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(Problem.of(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required", uri.getPath(), null).toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(403, "forbidden", "Forbidden", "the token's roles do not allow this call", uri.getPath(),
                null).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> {
                    String path = v.getPropertyPath().toString();
                    return new Problem.FieldError(path.substring(path.lastIndexOf('.') + 1), v.getMessage());
                }).toList();
        return Problem.of(400, "validation", "Invalid request", "the request has invalid fields", uri.getPath(),
                errors).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage(), uri.getPath(), null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("unexpected error on " + uri.getPath(), e);
        String detail = e instanceof com.influxdb.exceptions.InfluxException
                ? "InfluxDB could not answer the query" : "unexpected error";
        int status = e instanceof com.influxdb.exceptions.InfluxException ? 503 : 500;
        return Problem.of(status, status == 503 ? "unavailable" : "internal", status == 503 ? "Service unavailable"
                : "Internal error", detail, uri.getPath(), null).toResponse();
    }
}
