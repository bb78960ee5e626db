package io.bandwatch.runner.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bandwatch.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/** What RunnerProcessesIT says when a service it starts as a child process has not been built. */
class ServiceProcessTest {

    @Test
    void aMissingJarFailsWithWhatToBuild() {
        assertThatThrownBy(() -> ServiceProcess.jar("no-such-service")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-service/target/quarkus-app/quarkus-run.jar does not exist")
                .hasMessageContaining("build no-such-service first");
    }
}
