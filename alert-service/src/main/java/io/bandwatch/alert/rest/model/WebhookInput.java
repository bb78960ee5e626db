package io.bandwatch.alert.rest.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook of an organization. The secret is write-only: it is never returned. */
@Schema(example = "{\"organization_id\": \"9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b\", "
        + "\"url\": \"https://hooks.example.net/bandwatch\", \"secret\": \"a-shared-key-of-16-or-more\", \"active\": true}")
public record WebhookInput(
        @NotNull UUID organizationId,
        @NotBlank @Size(max = 2048) @Schema(example = "https://hooks.example.net/bandwatch") String url,
        @NotBlank @Size(min = 16, max = 256) @Schema(description = "HMAC-SHA256 key, write-only", writeOnly = true) String secret,
        Boolean active) {
}
