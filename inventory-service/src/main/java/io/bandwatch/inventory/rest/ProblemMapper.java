package io.bandwatch.inventory.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.bandwatch.events.EventFormatException;
import io.bandwatch.events.InvalidFieldException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as an RFC 9457 problem detail naming the field where there is one. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem, HttpServerRequest request) {
        return response(problem, request);
    }

    @ServerExceptionMapper
    public Response invalidField(InvalidFieldException e, HttpServerRequest request) {
        return response(Problem.validation(e.field(), e.reason()), request);
    }

    @ServerExceptionMapper
    public Response eventFormat(EventFormatException e, HttpServerRequest request) {
        return response(Problem.validation(e.field() == null ? "body" : e.field(), e.getMessage()), request);
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        return response(Problem.validation(errors), request);
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response invalidFormat(com.fasterxml.jackson.databind.exc.InvalidFormatException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response valueInstantiation(com.fasterxml.jackson.databind.exc.ValueInstantiationException e,
            HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        String field = "body";
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvalidFieldException ife) {
            return response(Problem.validation(field.isEmpty() ? ife.field() : field + "." + ife.field(), ife.reason()),
                    request);
        }
        // never echo the value: it may be a secret typed into the wrong field
        String message;
        if (e instanceof UnrecognizedPropertyException) {
            message = "unknown field";
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mie
                && mie.getTargetType() != null) {
            message = "invalid value: expected " + describe(mie.getTargetType());
        } else if (e instanceof JsonMappingException) {
            message = "invalid value";
        } else {
            message = "malformed JSON";
        }
        return response(Problem.validation(field, message), request);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return response(Problem.unauthorized("a valid bearer token is required"), request);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return response(Problem.unauthorized("a valid bearer token is required"), request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return response(Problem.forbidden("the token's role does not allow this call"), request);
    }

    @ServerExceptionMapper
    public Response stale(StaleStateException e, HttpServerRequest request) {
        return response(Problem.preconditionFailed("changed by someone else meanwhile"), request);
    }

    @ServerExceptionMapper
    public Response persistenceLock(jakarta.persistence.OptimisticLockException e, HttpServerRequest request) {
        return response(Problem.preconditionFailed("changed by someone else meanwhile"), request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String slug = title.toLowerCase().replace(' ', '-');
        return response(new Problem(status, slug, title, e.getMessage(), null), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof Problem p) {
                return response(p, request);
            }
        }
        if (DatabaseErrors.isUniqueViolation(e)) {
            return response(Problem.conflict(null, "an object with the same name already exists"), request);
        }
        if (DatabaseErrors.isStale(e)) {
            return response(Problem.preconditionFailed("changed by someone else meanwhile"), request);
        }
        // exception class only: a message could echo a request value
        LOG.errorf("unexpected error on %s %s: %s", request.method(), request.path(), e.getClass().getName());
        return response(new Problem(500, "internal", "Internal error", "unexpected error", null), request);
    }

    static Response response(Problem problem, HttpServerRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problem.TYPE_PREFIX + problem.slug());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        body.put("instance", request == null ? null : request.path());
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        return Response.status(problem.status()).type(PROBLEM_JSON).entity(body).build();
    }

    /** The last property of a Bean Validation path, in snake_case ({@code create.arg0.sshPort} gives {@code ssh_port}). */
    static String field(Path path) {
        String last = "body";
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getName() != null) {
                names.add(node.getName());
            }
        }
        // skip the method name and parameter name
        if (names.size() > 2) {
            last = String.join(".", names.subList(2, names.size()));
        } else if (!names.isEmpty()) {
            last = names.get(names.size() - 1);
        }
        return snake(last);
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as \"PT5M\"";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a " + (type.isRecord() ? "JSON object" : type.getSimpleName());
    }
}
