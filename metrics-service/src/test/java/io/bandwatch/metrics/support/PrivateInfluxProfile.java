package io.bandwatch.metrics.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service under test writes to a private InfluxDB ({@link PrivateInfluxResource}) that a test may stop. */
public class PrivateInfluxProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PrivateInfluxResource.class));
    }
}
