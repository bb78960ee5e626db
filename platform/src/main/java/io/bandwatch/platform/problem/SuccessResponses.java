package io.bandwatch.platform.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Fails the build of a service whose OpenAPI document does not say what an operation answers when it succeeds, the
 * two ways that went unnoticed before:
 *
 * <ul>
 * <li>no 2xx response at all: an {@code @APIResponse} annotation (a 404, say) replaces the 200 the scanner would
 *     have written, so the document no longer shows the body of a {@code GET};</li>
 * <li>a 2xx response whose JSON content has no schema: the method returns a JAX-RS {@code Response} (to set a status
 *     or an ETag), so the scanner neither knows the body nor the status, and writes "200 OK" with an empty schema even
 *     where the operation answers 204 or 202.</li>
 * </ul>
 *
 * Such an operation needs its own {@code @APIResponse} with the status it answers and, for JSON, the schema of its
 * body. The message lists every offending operation. Runs at build time next to {@link ProblemResponses}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SuccessResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        List<String> wrong = check(openAPI);
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the OpenAPI document does not say what these operations answer on"
                    + " success; give each an @APIResponse with its 2xx status and, for JSON, its schema:\n  "
                    + String.join("\n  ", wrong));
        }
    }

    /** One line per operation whose success response is missing or has JSON content without a schema. */
    static List<String> check(OpenAPI openAPI) {
        List<String> wrong = new ArrayList<>();
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return wrong;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                String name = op.getKey().name().toUpperCase(Locale.ROOT) + " " + path.getKey();
                Map<String, APIResponse> responses = op.getValue().getResponses() == null ? Map.of()
                        : op.getValue().getResponses().getAPIResponses();
                List<Map.Entry<String, APIResponse>> success = responses.entrySet().stream()
                        .filter(r -> r.getKey().startsWith("2")).toList();
                if (success.isEmpty()) {
                    wrong.add(name + ": no 2xx response");
                }
                for (Map.Entry<String, APIResponse> r : success) {
                    if (r.getValue().getRef() != null || r.getValue().getContent() == null
                            || r.getValue().getContent().getMediaTypes() == null) {
                        continue;
                    }
                    for (Map.Entry<String, MediaType> media : r.getValue().getContent().getMediaTypes().entrySet()) {
                        if (media.getKey().contains("json") && media.getValue().getSchema() == null) {
                            wrong.add(name + ": " + r.getKey() + " " + media.getKey() + " without a schema");
                        }
                    }
                }
            }
        }
        return wrong;
    }
}
