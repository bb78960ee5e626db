package io.bandwatch.platform.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The one place that documents the problem responses (RFC 9457, {@code application/problem+json} with the
 * {@code Problem} schema component) of every service's OpenAPI document, from what an operation is:
 *
 * <ul>
 * <li><b>400</b> when it has parameters (path, query, header: a value that does not convert or validate is a 400
 *     naming it, {@link ParameterException}) or a request body;</li>
 * <li><b>401</b> and <b>403</b> when it is secured (a security requirement of its own or the document's);</li>
 * <li><b>404</b> when its path has a parameter ({@code /devices/{id}}): unknown and other organizations' ids are
 *     both 404;</li>
 * <li><b>412</b> when it takes {@code If-Match}, and <b>428</b> when that header is required.</li>
 * </ul>
 *
 * A response the operation documents itself ({@code @APIResponse} with a description of its own, e.g. 409 "the
 * name is taken" or 404 on a create for an unknown organization) keeps its description (one that only repeats the
 * status, as Quarkus writes "Bad Request" or "Not Authorized", gets the standard one); every 4xx response without
 * content gets the problem content, since {@link ProblemMappers} answers every error that way. So a resource
 * annotates only what is particular to an operation, never the problem content. Runs at build time, in every
 * service (and the console) that has this library and the OpenAPI extension.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    /** The name of the schema component of {@link Problem} ({@code #/components/schemas/Problem}). */
    public static final String SCHEMA = "Problem";

    static final String BAD_REQUEST = "a field or parameter is wrong (errors[].field names it)";
    static final String UNAUTHORIZED = "no valid bearer token (missing, expired, revoked)";
    static final String FORBIDDEN = "the caller's roles do not allow it";
    static final String NOT_FOUND = "unknown or another organization's object";
    static final String PRECONDITION_FAILED = "If-Match is not the current version";
    static final String PRECONDITION_REQUIRED = "If-Match is missing";

    /** Descriptions that say no more than the status (Quarkus writes them for {@code @Valid} and secured operations). */
    private static final Set<String> REASON_PHRASES = Set.of("Bad Request", "Not Authorized", "Not Allowed",
            "Unauthorized", "Forbidden", "Not Found", "Precondition Failed", "Precondition Required");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean documentSecured = openAPI.getSecurity() != null && !openAPI.getSecurity().isEmpty();
        boolean used = false;
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                used |= document(path.getKey(), path.getValue(), operation, documentSecured);
            }
        }
        if (used) {
            if (openAPI.getComponents() == null) {
                openAPI.setComponents(OASFactory.createComponents());
            }
            addSchema(openAPI.getComponents(), Problem.class);
        }
    }

    /** The standard problem responses of one operation (status to description), in status order. */
    static Map<String, String> standard(String path, PathItem item, Operation operation, boolean documentSecured) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        boolean secured = operation.getSecurity() == null ? documentSecured : !operation.getSecurity().isEmpty();
        Parameter ifMatch = parameters.stream()
                .filter(p -> p.getIn() == Parameter.In.HEADER && "If-Match".equalsIgnoreCase(p.getName()))
                .findFirst().orElse(null);
        Map<String, String> responses = new LinkedHashMap<>();
        if (!parameters.isEmpty() || operation.getRequestBody() != null) {
            responses.put("400", BAD_REQUEST);
        }
        if (secured) {
            responses.put("401", UNAUTHORIZED);
            responses.put("403", FORBIDDEN);
        }
        if (path.contains("{")) {
            responses.put("404", NOT_FOUND);
        }
        if (ifMatch != null) {
            responses.put("412", PRECONDITION_FAILED);
            if (Boolean.TRUE.equals(ifMatch.getRequired())) {
                responses.put("428", PRECONDITION_REQUIRED);
            }
        }
        return responses;
    }

    /** Adds the standard problem responses and the problem content of 4xx responses without content. */
    private static boolean document(String path, PathItem item, Operation operation, boolean documentSecured) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean used = false;
        for (Map.Entry<String, String> standard : standard(path, item, operation, documentSecured).entrySet()) {
            APIResponse documented = responses.getAPIResponse(standard.getKey());
            if (documented == null) {
                responses.addAPIResponse(standard.getKey(), OASFactory.createAPIResponse().description(standard.getValue()));
            } else if (documented.getDescription() == null || REASON_PHRASES.contains(documented.getDescription())) {
                documented.setDescription(standard.getValue());
            }
        }
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            APIResponse r = response.getValue();
            if (response.getKey().startsWith("4") && r.getRef() == null
                    && (r.getContent() == null || r.getContent().getMediaTypes() == null
                            || r.getContent().getMediaTypes().isEmpty())) {
                r.setContent(problemContent());
            }
            used |= r.getContent() != null && r.getContent().hasMediaType(Problem.MEDIA_TYPE);
        }
        return used;
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(SCHEMA)));
    }

    /**
     * The schema component of a record (and of the records it lists), read from its components, so the document
     * follows {@link Problem} and {@link FieldError} as they are; a component already there (scanned from an
     * annotation) is kept.
     */
    static void addSchema(Components components, Class<? extends Record> type) {
        String name = type.getSimpleName();
        if (components.getSchemas() != null && components.getSchemas().containsKey(name)) {
            return;
        }
        Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT);
        components.addSchema(name, schema);
        for (RecordComponent component : type.getRecordComponents()) {
            schema.addProperty(component.getName(), schemaOf(components, component.getType(), component.getGenericType()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Schema schemaOf(Components components, Class<?> type, Type generic) {
        if (type == String.class) {
            return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        }
        if (type == int.class || type == Integer.class) {
            return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32");
        }
        if (List.class.isAssignableFrom(type) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> item) {
            return OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(schemaOf(components, item, item));
        }
        if (type.isRecord()) {
            addSchema(components, (Class<? extends Record>) type);
            return OASFactory.createSchema().ref(type.getSimpleName());
        }
        throw new IllegalArgumentException("no OpenAPI schema for " + type + " (a component of a problem record)");
    }
}
