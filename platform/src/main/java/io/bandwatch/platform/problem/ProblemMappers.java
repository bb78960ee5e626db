package io.bandwatch.platform.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.bandwatch.events.EventFormatException;
import io.bandwatch.events.InvalidFieldException;
import io.bandwatch.platform.json.InvalidTextException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of every service as an RFC 9457 {@link Problem}: {@code application/problem+json}, the field
 * (snake_case JSON path) or parameter named in {@code errors}, 401 with {@code WWW-Authenticate: Bearer}, and
 * no 500 for anything a client can send. Services add their own knowledge through {@link ProblemTranslator}.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TOKEN_REQUIRED = "a valid bearer token (JWT) is required";

    @Inject
    Instance<ProblemTranslator> translators;

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return respond(e, request);
    }

    @ServerExceptionMapper
    public Response invalidField(InvalidFieldException e, HttpServerRequest request) {
        return respond(ProblemException.invalidField(e), request);
    }

    @ServerExceptionMapper
    public Response eventFormat(EventFormatException e, HttpServerRequest request) {
        return respond(ProblemException.validation(e.field() == null ? "body" : e.field(), e.getMessage()), request);
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, HttpServerRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new FieldError(ViolationPaths.field(v), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return respond(ProblemException.validation(errors), request);
    }

    // the Jackson subtypes named too: RESTEasy Reactive's own mappers for them would otherwise win
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class,
            UnrecognizedPropertyException.class, ValueInstantiationException.class})
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return respond(fromJson(e), request);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return respond(ProblemException.unauthorized(TOKEN_REQUIRED), request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(ProblemException.forbidden("the token's roles do not allow this call"), request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        if (e instanceof ParameterException p) {
            return respond(ProblemException.validation(p.parameter(), p.getMessage()), request);
        }
        ProblemException inner = fromCauses(e);
        if (inner != null) {
            return respond(inner, request);
        }
        int status = e.getResponse().getStatus();
        Response.StatusType info = e.getResponse().getStatusInfo();
        String title = info == null || info.getReasonPhrase() == null ? "Error" : info.getReasonPhrase();
        String detail = e.getMessage();
        if (detail == null || detail.startsWith("HTTP " + status)) {
            detail = switch (status) {
                case 400 -> "the request cannot be read";
                case 401 -> TOKEN_REQUIRED;
                case 404 -> "no resource at " + request.path();
                case 405 -> "method " + request.method() + " is not allowed on " + request.path();
                case 406 -> "no acceptable representation: ask for application/json";
                case 415 -> "unsupported Content-Type: send application/json";
                default -> title;
            };
        }
        String slug = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            default -> title.toLowerCase(Locale.ROOT).replace(' ', '-');
        };
        return respond(new ProblemException(status, slug, title, detail, null), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        ProblemException known = fromCauses(e);
        if (known != null) {
            return respond(known, request);
        }
        for (ProblemTranslator translator : translators) {
            ProblemException translated = translator.translate(e);
            if (translated != null) {
                return respond(translated, request);
            }
        }
        // the class and where, never the message: it could echo a request value
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        LOG.errorf("unexpected error on %s %s: %s at %s", request.method(), request.path(), e.getClass().getName(), at);
        return respond(new ProblemException(500, "internal", "Internal error", "unexpected error", null), request);
    }

    /** The response of a problem, with the request path as {@code instance}. */
    public static Response respond(ProblemException e, HttpServerRequest request) {
        return e.toResponse(request == null ? null : request.path());
    }

    /** A problem hidden among the causes (a Uni failing with a wrapped one, a reader wrapping Jackson). */
    static ProblemException fromCauses(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != e; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException p) {
                return p;
            }
            if (t instanceof JsonProcessingException j) {
                return fromJson(j);
            }
            if (t instanceof InvalidFieldException f) {
                return ProblemException.invalidField(f);
            }
            if (t instanceof ConstraintViolationException) {
                return null;
            }
        }
        return null;
    }

    /** Jackson's error as a field error; the value itself is never echoed. */
    public static ProblemException fromJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException && e.getCause() instanceof StreamReadException read) {
            // a parse error inside a nested object comes wrapped with the path of that object
            return fromJson(read);
        }
        if (e instanceof StreamReadException read) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            if (message.startsWith("Duplicate field")) {
                return ProblemException.validation(pointerField(read.getProcessor()), "repeated key");
            }
            // quoted parts are input text: leave them out
            message = message.replaceAll("'[^']*'", "…").replaceAll("\"[^\"]*\"", "…");
            return ProblemException.validation("body", "malformed JSON" + at(read.getLocation()) + ": " + message);
        }
        String field = "body";
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            field = path(jme.getPath());
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvalidFieldException ife) {
            return ProblemException.validation("body".equals(field) ? ife.field() : join(field, ife.field()),
                    ProblemException.withoutQuotedValues(ife.reason()));
        }
        if (e instanceof InvalidTextException) {
            return ProblemException.validation(field, e.getOriginalMessage());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            known.sort(null);
            return ProblemException.validation(field, known.isEmpty() ? "unknown field"
                    : "unknown field; known fields: " + String.join(", ", known));
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Trailing token")) {
            return ProblemException.validation("body", "unexpected content after the JSON value"
                    + (e instanceof JsonMappingException m ? at(m.getLocation()) : ""));
        }
        if (original.startsWith("No content to map")) {
            return ProblemException.validation("body", "a JSON body is required");
        }
        if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            return ProblemException.validation(field, "invalid value: expected " + describe(mie.getTargetType()));
        }
        return ProblemException.validation(field, "invalid value");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String pointerField(Object processor) {
        if (processor instanceof JsonParser parser && parser.getParsingContext() != null) {
            JsonPointer pointer = parser.getParsingContext().pathAsPointer();
            StringBuilder out = new StringBuilder();
            for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
                if (p.mayMatchElement() && p.getMatchingProperty().matches("\\d+")) {
                    out.append('[').append(p.getMatchingIndex()).append(']');
                } else {
                    out.append(out.length() == 0 ? "" : ".").append(p.getMatchingProperty());
                }
            }
            return out.length() == 0 ? "body" : out.toString();
        }
        return "body";
    }

    /**
     * The path to the object a record refused joined with the field the record names, which may repeat the end
     * of the path (records name nested fields as seen from their parent: {@code client_options.tcp.bitrate} thrown
     * at {@code client_options.tcp}).
     */
    static String join(String path, String field) {
        List<String> head = List.of(path.split("\\."));
        List<String> tail = List.of(field.split("\\."));
        for (int overlap = Math.min(head.size(), tail.size()); overlap > 0; overlap--) {
            if (head.subList(head.size() - overlap, head.size()).equals(tail.subList(0, overlap))) {
                return String.join(".", head.subList(0, head.size() - overlap)) + (overlap == head.size() ? "" : ".")
                        + field;
            }
        }
        return path + "." + field;
    }

    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
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
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as \"2026-05-01T02:00:00Z\"";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a " + type.getSimpleName();
    }
}
