package io.bandwatch.metrics.support;

import io.bandwatch.testing.JwtKeysResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The test resources of every {@code @QuarkusTest} of this module, declared once (not restricted to a class) so
 * that all test classes share one application boot: JWT keys, and the switchable proxy in front of InfluxDB.
 */
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = InfluxProxyResource.class, restrictToAnnotatedClass = false)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
