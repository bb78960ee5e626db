package io.bandwatch.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.junit.jupiter.api.Test;

/** What {@link SuccessResponses} refuses in a service's OpenAPI document, and what it lets through. */
class SuccessResponsesTest {

    private static APIResponse json(boolean withSchema) {
        return OASFactory.createAPIResponse().description("d").content(OASFactory.createContent().addMediaType(
                "application/json", withSchema
                        ? OASFactory.createMediaType().schema(OASFactory.createSchema().ref("DeviceView"))
                        : OASFactory.createMediaType()));
    }

    private static Operation op(String code, APIResponse success) {
        Operation op = OASFactory.createOperation().responses(OASFactory.createAPIResponses());
        op.getResponses().addAPIResponse("404", OASFactory.createAPIResponse().description("unknown"));
        if (code != null) {
            op.getResponses().addAPIResponse(code, success);
        }
        return op;
    }

    private static OpenAPI document(Object... pathMethodOp) {
        OpenAPI api = OASFactory.createOpenAPI().paths(OASFactory.createPaths());
        for (int i = 0; i < pathMethodOp.length; i += 3) {
            String path = (String) pathMethodOp[i];
            PathItem item = api.getPaths().getPathItem(path);
            if (item == null) {
                item = OASFactory.createPathItem();
                api.getPaths().addPathItem(path, item);
            }
            item.setOperation(PathItem.HttpMethod.valueOf((String) pathMethodOp[i + 1]), (Operation) pathMethodOp[i + 2]);
        }
        return api;
    }

    @Test
    void documentedSuccessResponsesPass() {
        OpenAPI api = document(
                "/devices/{id}", "GET", op("200", json(true)),
                "/devices/{id}", "DELETE", op("204", OASFactory.createAPIResponse().description("deleted")),
                "/devices/{id}/charts/{chart}.csv", "GET", op("200", OASFactory.createAPIResponse().description("csv")
                        .content(OASFactory.createContent().addMediaType("text/csv", OASFactory.createMediaType()))));

        assertThat(SuccessResponses.check(api)).isEmpty();
        new SuccessResponses().filterOpenAPI(api);
    }

    @Test
    void anOperationWithoutA2xxOrWithASchemalessJsonBodyFailsTheBuildNamingEach() {
        OpenAPI api = document(
                "/alert-settings/{id}", "GET", op(null, null),
                "/devices/{id}", "DELETE", op("200", json(false)),
                "/devices", "GET", op("200", json(true)));

        assertThat(SuccessResponses.check(api)).containsExactlyInAnyOrder(
                "GET /alert-settings/{id}: no 2xx response",
                "DELETE /devices/{id}: 200 application/json without a schema");
        assertThatThrownBy(() -> new SuccessResponses().filterOpenAPI(api)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /alert-settings/{id}: no 2xx response")
                .hasMessageContaining("DELETE /devices/{id}: 200 application/json without a schema");
    }
}
