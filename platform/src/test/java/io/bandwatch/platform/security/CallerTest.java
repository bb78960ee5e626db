package io.bandwatch.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bandwatch.platform.problem.ProblemException;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** One meaning of the JWT caller in every service. */
class CallerTest {

    private final UUID owned = UUID.randomUUID();
    private final UUID operated = UUID.randomUUID();
    private final UUID viewed = UUID.randomUUID();
    private final UUID foreign = UUID.randomUUID();

    private static Caller caller(List<String> groups, Map<String, Object> orgs) {
        JwtClaims claims = new JwtClaims();
        claims.setClaim("upn", "someone");
        claims.setStringListClaim("groups", groups);
        claims.setClaim("orgs", orgs);
        return new Caller(new DefaultJWTCallerPrincipal(claims));
    }

    @Test
    void membersReadTheirOrganizationsAndWriteByRole() {
        Caller c = caller(List.of("user"), Map.of(owned.toString(), "owner", operated.toString(), "operator",
                viewed.toString(), "viewer", "not-a-uuid", "owner", UUID.randomUUID().toString(), "admin"));
        assertThat(c.name()).isEqualTo("someone");
        assertThat(c.readable()).containsExactlyInAnyOrder(owned, operated, viewed);
        assertThat(c.canRead(viewed)).isTrue();
        assertThat(c.canRead(foreign)).isFalse();
        assertThat(c.canWrite(operated)).isTrue();
        assertThat(c.canWrite(owned)).isTrue();
        assertThat(c.canWrite(viewed)).isFalse();
        assertThat(c.isOwner(owned)).isTrue();
        assertThat(c.isOwner(operated)).isFalse();
        assertThat(c.canReadAny(List.of(foreign, viewed))).isTrue();
        assertThatThrownBy(() -> c.require(foreign, Role.VIEWER, "device")).isInstanceOf(ProblemException.NotFound.class)
                .hasMessage("device not found");
        assertThatThrownBy(() -> c.require(viewed, Role.OPERATOR, "device"))
                .isInstanceOf(ProblemException.Forbidden.class);
        c.require(operated, Role.OPERATOR, "device");
    }

    @Test
    void superusersDoEverythingServicesReadEverything() {
        Caller root = caller(List.of("user", "superuser"), Map.of());
        assertThat(root.readable()).isNull();
        assertThat(root.canRead(foreign)).isTrue();
        assertThat(root.canWrite(foreign)).isTrue();
        assertThat(root.isOwner(foreign)).isTrue();

        Caller service = caller(List.of("service"), Map.of());
        assertThat(service.readsAll()).isTrue();
        assertThat(service.readable()).isNull();
        assertThat(service.canRead(foreign)).isTrue();
        assertThat(service.canWrite(foreign)).isFalse();
        assertThat(service.isOwner(foreign)).isFalse();
        assertThatThrownBy(() -> service.require(foreign, Role.OPERATOR, "check"))
                .isInstanceOf(ProblemException.Forbidden.class);
    }
}
