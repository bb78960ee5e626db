package io.bandwatch.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.junit.jupiter.api.Test;

/** The problem responses every service's OpenAPI document gets from {@link ProblemResponses}. */
class ProblemResponsesTest {

    private static Parameter param(Parameter.In in, String name) {
        return OASFactory.createParameter().in(in).name(name);
    }

    private static Operation operation(String... documented) {
        Operation op = OASFactory.createOperation().responses(OASFactory.createAPIResponses());
        for (String code : documented) {
            op.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description("own " + code));
        }
        return op;
    }

    private static OpenAPI document(String path, String method, Operation op) {
        OpenAPI api = OASFactory.createOpenAPI().paths(OASFactory.createPaths());
        PathItem item = OASFactory.createPathItem();
        item.setOperation(PathItem.HttpMethod.valueOf(method), op);
        api.getPaths().addPathItem(path, item);
        return api;
    }

    private static APIResponse response(Operation op, String code) {
        return op.getResponses().getAPIResponse(code);
    }

    private static String problemRef(APIResponse response) {
        return response.getContent().getMediaType(Problem.MEDIA_TYPE).getSchema().getRef();
    }

    @Test
    void aSecuredReplaceByIdWithARequiredIfMatchDocumentsEveryProblem() {
        Operation put = operation("200", "409")
                .addParameter(param(Parameter.In.PATH, "id").required(true))
                .addParameter(param(Parameter.In.HEADER, "If-Match").required(true))
                .requestBody(OASFactory.createRequestBody())
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("jwt"));
        OpenAPI api = document("/api/v1/devices/{id}", "PUT", put);

        new ProblemResponses().filterOpenAPI(api);

        assertThat(put.getResponses().getAPIResponses()).containsOnlyKeys("200", "400", "401", "403", "404", "409",
                "412", "428");
        for (String code : List.of("400", "401", "403", "404", "409", "412", "428")) {
            assertThat(problemRef(response(put, code))).as(code).isEqualTo("#/components/schemas/Problem");
        }
        // what the operation says itself stays; the standard ones have the standard wording
        assertThat(response(put, "409").getDescription()).isEqualTo("own 409");
        assertThat(response(put, "412").getDescription()).isEqualTo("If-Match is not the current version");
        assertThat(response(put, "200").getContent()).isNull();
    }

    @Test
    void onlyWhatAppliesIsAdded() {
        // an open operation without parameters or body (e.g. a sign-out): nothing
        Operation bare = operation("204");
        new ProblemResponses().filterOpenAPI(document("/api/v1/session", "DELETE", bare));
        assertThat(bare.getResponses().getAPIResponses()).containsOnlyKeys("204");

        // secured by the document, query parameters only: 400, 401, 403, no 404
        Operation list = operation("200").addParameter(param(Parameter.In.QUERY, "page"));
        OpenAPI api = document("/api/v1/devices", "GET", list);
        api.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("jwt"));
        new ProblemResponses().filterOpenAPI(api);
        assertThat(list.getResponses().getAPIResponses()).containsOnlyKeys("200", "400", "401", "403");

        // an optional If-Match: 412 but not 428; an operation that opts out of the document's security: no 401/403
        Operation put = operation("200").addParameter(param(Parameter.In.HEADER, "If-Match"))
                .security(List.of());
        api = document("/api/v1/organizations/{id}/iperf3-defaults", "PUT", put);
        api.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("jwt"));
        new ProblemResponses().filterOpenAPI(api);
        assertThat(put.getResponses().getAPIResponses()).containsOnlyKeys("200", "400", "404", "412");
    }

    @Test
    void aDocumentedErrorWithoutContentGetsTheProblemContentAndKeepsItsDescription() {
        Operation login = operation("200", "401", "429").requestBody(OASFactory.createRequestBody());
        OpenAPI api = document("/api/v1/auth/token", "POST", login);

        new ProblemResponses().filterOpenAPI(api);

        assertThat(response(login, "429").getDescription()).isEqualTo("own 429");
        assertThat(problemRef(response(login, "429"))).isEqualTo("#/components/schemas/Problem");
        assertThat(problemRef(response(login, "401"))).isEqualTo("#/components/schemas/Problem");
    }

    @Test
    void aDescriptionThatOnlyRepeatsTheStatusGetsTheStandardOne() {
        // Quarkus documents a @Valid body's 400 as "Bad Request" and a secured operation's 401 as "Not Authorized"
        Operation post = operation().requestBody(OASFactory.createRequestBody())
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("jwt"));
        post.getResponses().addAPIResponse("400", OASFactory.createAPIResponse().description("Bad Request"));
        post.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().description("Not Authorized"));

        new ProblemResponses().filterOpenAPI(document("/api/v1/devices", "POST", post));

        assertThat(response(post, "400").getDescription()).isEqualTo(ProblemResponses.BAD_REQUEST);
        assertThat(response(post, "401").getDescription()).isEqualTo(ProblemResponses.UNAUTHORIZED);
        assertThat(problemRef(response(post, "400"))).isEqualTo("#/components/schemas/Problem");
    }

    @Test
    void theProblemSchemaIsTheRecordAsItIs() {
        Operation get = operation("200").addParameter(param(Parameter.In.PATH, "id"));
        OpenAPI api = document("/api/v1/devices/{id}", "GET", get);

        new ProblemResponses().filterOpenAPI(api);

        Schema problem = api.getComponents().getSchemas().get("Problem");
        assertThat(problem.getProperties().keySet()).containsExactlyElementsOf(names(Problem.class));
        assertThat(problem.getProperties().get("status").getType()).containsExactly(Schema.SchemaType.INTEGER);
        assertThat(problem.getProperties().get("errors").getItems().getRef()).isEqualTo("#/components/schemas/FieldError");
        assertThat(api.getComponents().getSchemas().get("FieldError").getProperties().keySet())
                .containsExactlyElementsOf(names(FieldError.class));
    }

    @Test
    void aDocumentWithoutProblemsGetsNoProblemSchema() {
        OpenAPI api = document("/console/api/session", "DELETE", operation("204"));
        new ProblemResponses().filterOpenAPI(api);
        assertThat(api.getComponents()).isNull();
    }

    private static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
