package io.bandwatch.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a service under test at a key pair made for this test JVM: it verifies tokens with the public
 * key and (inventory) signs with the private key. No key is committed to the repository.
 *
 * <pre>{@code @QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)}</pre>
 */
public class JwtKeysResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestJwt keys = TestJwt.instance();
        return Map.of(
                "mp.jwt.verify.publickey.location", keys.publicKeyPath().toString(),
                "mp.jwt.verify.issuer", TestJwt.ISSUER,
                "smallrye.jwt.sign.key.location", keys.privateKeyPath().toString(),
                "smallrye.jwt.new-token.issuer", TestJwt.ISSUER);
    }

    @Override
    public void stop() {
        // the key files live for the whole JVM; they are deleted on exit
    }
}
