package io.bandwatch.testing;

import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;

/**
 * Quarkus' management interface of a service under test ({@code quarkus.management.enabled=true}): health, metrics,
 * OpenAPI and Swagger UI answer there and nowhere on the API port. A {@code @QuarkusTest} gets its root with
 * {@code @TestHTTPResource(management = true) URL management} ({@code http://localhost:<port>/q/}; the test port is
 * a free one, {@code quarkus.management.test-port=0}).
 */
public final class ManagementPort {

    /** What an operator reads on the management interface; none of it may answer on the API port. */
    public static final List<String> PATHS = List.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started", "/q/metrics", "/q/openapi", "/q/swagger-ui/");

    private ManagementPort() {
    }

    /** {@code http://host:port} of the management interface whose root a test was given. */
    public static String base(URL root) {
        return root.getProtocol() + "://" + root.getHost() + ":" + root.getPort();
    }

    /** A request to the management interface (paths are absolute: {@code /q/metrics}). */
    public static RequestSpecification given(URL root) {
        return RestAssured.given().baseUri(base(root));
    }

    /**
     * The regression of issue 13 item 6: every path of {@link #PATHS} answers 404 on the API port (RestAssured's
     * default, the service's test port) and 200 on the management port.
     */
    public static void assertOnlyOnManagementPort(URL root) {
        assertOnlyOnManagementPort(RestAssured.given(), given(root));
    }

    /** As {@link #assertOnlyOnManagementPort(URL)} for a service reached at {@code api} and {@code management}. */
    public static void assertOnlyOnManagementPort(String api, String management) {
        assertOnlyOnManagementPort(RestAssured.given().baseUri(api), RestAssured.given().baseUri(management));
    }

    private static void assertOnlyOnManagementPort(RequestSpecification api, RequestSpecification management) {
        for (String path : PATHS) {
            RestAssured.given().spec(api).redirects().follow(false).get(path).then()
                    .statusCode(org.hamcrest.Matchers.describedAs("404 for " + path + " on the API port", equalTo(404)));
            RestAssured.given().spec(management).get(path).then()
                    .statusCode(org.hamcrest.Matchers.describedAs("200 for " + path + " on the management port",
                            equalTo(200)));
        }
    }
}
