package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Why a run failed ({@code error} of a {@link CheckResult}).
 *
 * @param code    the failure class
 * @param message human-readable detail, cut to {@link #MAX_MESSAGE_LENGTH} characters; never a secret
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultError(
        @JsonProperty(required = true) ErrorCode code,
        @JsonProperty(required = true) String message) {

    public static final int MAX_MESSAGE_LENGTH = 2000;

    public ResultError {
        Objects.requireNonNull(code, "error.code");
        Objects.requireNonNull(message, "error.message");
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH - 1) + "\u2026";
        }
    }
}
