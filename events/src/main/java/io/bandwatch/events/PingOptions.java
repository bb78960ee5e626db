package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Effective parameters of a ping check, for {@code fping -e -c COUNT -p INTERVAL -b BYTES -t TIMEOUT -q ADDRESS}.
 * Missing JSON keys take the defaults.
 *
 * @param count    probes, 2-20, default 5
 * @param interval milliseconds between probes, 10-1000, default 25
 * @param bytes    payload bytes, 12-65508, default 56
 * @param timeout  milliseconds to wait for a reply, 5-1500, default 800
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PingOptions(int count, int interval, int bytes, int timeout) {

    public static final int DEFAULT_COUNT = 5;
    public static final int DEFAULT_INTERVAL = 25;
    public static final int DEFAULT_BYTES = 56;
    public static final int DEFAULT_TIMEOUT = 800;

    public PingOptions {
        Validation.range(count, 2, 20, "count");
        Validation.range(interval, 10, 1000, "interval");
        Validation.range(bytes, 12, 65508, "bytes");
        Validation.range(timeout, 5, 1500, "timeout");
    }

    /** Builds from possibly missing values (null = default); the JSON creator. */
    @JsonCreator
    public static PingOptions of(@JsonProperty("count") Integer count, @JsonProperty("interval") Integer interval,
            @JsonProperty("bytes") Integer bytes, @JsonProperty("timeout") Integer timeout) {
        return new PingOptions(count == null ? DEFAULT_COUNT : count, interval == null ? DEFAULT_INTERVAL : interval,
                bytes == null ? DEFAULT_BYTES : bytes, timeout == null ? DEFAULT_TIMEOUT : timeout);
    }

    public static PingOptions defaults() {
        return of(null, null, null, null);
    }
}
