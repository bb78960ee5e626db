package io.bandwatch.metrics.support;

import io.bandwatch.testing.JwtKeysResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The test resources of every {@code @QuarkusTest} of this module, declared once (not restricted to a class) so
 * that all test classes of the default profile share one application boot: JWT keys. The InfluxDB outage test runs
 * under its own profile ({@link PrivateInfluxProfile}) against a private InfluxDB.
 */
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
