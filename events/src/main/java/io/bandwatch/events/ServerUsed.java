package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.UUID;

/**
 * The iperf3 server a run used ({@code server} of a {@link CheckResult}).
 *
 * @param id           server id
 * @param host         its host
 * @param port         its port, 1-65535
 * @param fencingToken the lease's fencing token (increases per lease of that server)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerUsed(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String host,
        @JsonProperty(required = true) int port,
        @JsonProperty(required = true) long fencingToken) {

    public ServerUsed {
        Objects.requireNonNull(id, "server.id");
        Validation.host(host, "server.host");
        Validation.range(port, 1, 65535, "server.port");
        Validation.atLeast(fencingToken, 0, "server.fencing_token");
    }
}
