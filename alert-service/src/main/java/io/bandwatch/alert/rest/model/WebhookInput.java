package io.bandwatch.alert.rest.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook of an organization. The secret is write-only: it is never returned. */
public record WebhookInput(
        @NotNull UUID organizationId,
        @NotBlank @Size(max = 2048) @Schema(example = "https://hooks.example.net/bandwatch") String url,
        @NotBlank @Size(min = 16, max = 256) @Schema(description = "HMAC-SHA256 key, write-only", writeOnly = true) String secret,
        Boolean active) {
}
