package io.bandwatch.console.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.console.client.Service;
import org.junit.jupiter.api.Test;

/** The proxy's path rules and Location rewrite, one class alone (ConsoleSessionTest drives them over HTTP). */
class ProxyRulesTest {

    @Test
    void refusedPaths() {
        for (String path : new String[] {"auth/token", "Auth/token", "%61uth/token", "auth", "internal/x",
                "%69nternal/x", "INTERNAL", "./internal/x", "devices/../internal", "%2e%2e/internal",
                "devices%2F..%2Finternal", "devices%5c..", "devices;jsessionid=1", "", "a//b", "%zz"}) {
            assertThat(ProxyResource.refused(Service.INVENTORY, path)).as(path).isTrue();
        }
        assertThat(ProxyResource.refused(Service.METRICS, "internal/anything")).isTrue();
        assertThat(ProxyResource.refused(Service.ALERT, "internal")).isTrue();
    }

    @Test
    void allowedPaths() {
        for (String path : new String[] {"devices", "devices/", "devices/5f0c/charts", "checks/1/run",
                "devices/x/charts/bandwidth.csv", "notifications/7/read", "devices/authority"}) {
            assertThat(ProxyResource.refused(Service.INVENTORY, path)).as(path).isFalse();
        }
        // only inventory has the token endpoint; elsewhere "auth" is an ordinary path
        assertThat(ProxyResource.refused(Service.METRICS, "auth/x")).isFalse();
    }

    @Test
    void locationIsRewrittenToTheConsolePath() {
        assertThat(ProxyResource.rewriteLocation(Service.INVENTORY, "http://127.0.0.1:8081/api/v1/devices/42"))
                .isEqualTo("/console/api/inventory/devices/42");
        assertThat(ProxyResource.rewriteLocation(Service.ALERT, "/api/v1/webhooks/9?x=1"))
                .isEqualTo("/console/api/alert/webhooks/9?x=1");
        assertThat(ProxyResource.rewriteLocation(Service.RUNNER, "http://elsewhere/q/health")).isNull();
        assertThat(ProxyResource.rewriteLocation(Service.INVENTORY, "http://127.0.0.1:9081/q/metrics")).isNull();
        assertThat(ProxyResource.rewriteLocation(Service.RUNNER, "not a uri")).isNull();
        assertThat(ProxyResource.rewriteLocation(Service.RUNNER, null)).isNull();
    }

    @Test
    void theRunsNextPageLinkIsRewrittenToTheConsolePath() {
        assertThat(ProxyResource.rewriteLink(Service.RUNNER,
                "<http://127.0.0.1:8082/api/v1/runs?limit=50&cursor=1764683000123456_5f0c>; rel=\"next\""))
                .isEqualTo("</console/api/runner/runs?limit=50&cursor=1764683000123456_5f0c>; rel=\"next\"");
        assertThat(ProxyResource.rewriteLink(Service.RUNNER, "<http://elsewhere/q/metrics>; rel=\"next\"")).isNull();
        assertThat(ProxyResource.rewriteLink(Service.RUNNER, "garbage")).isNull();
    }
}
