package io.bandwatch.alert.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every REST error as RFC 9457 problem details, naming the field for validation errors. */
public class ProblemMappers {

    @Context
    UriInfo uri;

    private String instance() {
        return uri == null ? null : uri.getPath();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        String title = switch (e.status()) {
            case 400 -> "Invalid request";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> "Error";
        };
        return Problem.response(e.status(), e.slug(), title, e.getMessage(), instance(),
                e.field() == null ? null : List.of(new Problem.FieldError(e.field(), e.getMessage())));
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage())).toList();
        return Problem.response(400, "validation", "Invalid request",
                errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; ")),
                instance(), errors);
    }

    private static String field(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        String last = dot >= 0 ? path.substring(dot + 1) : path;
        return last.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        String detail = "malformed or mistyped JSON" + (field == null ? "" : " at '" + field + "'") + ": "
                + e.getOriginalMessage().lines().findFirst().orElse("");
        return Problem.response(400, "validation", "Invalid request", detail, instance(),
                field == null ? null : List.of(new Problem.FieldError(field, detail)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String slug = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        return Problem.response(status, slug, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(),
                instance(), null);
    }
}
