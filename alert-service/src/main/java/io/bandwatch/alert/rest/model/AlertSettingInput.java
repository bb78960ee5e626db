package io.bandwatch.alert.rest.model;

import io.bandwatch.events.AlertOperator;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Create ({@code check_id} and {@code field} required) or replace (they must be absent or unchanged) a setting.
 */
public record AlertSettingInput(
        @Schema(description = "the check; on create only") UUID checkId,
        @Schema(description = "a metric field the check produces; on create only", example = "sent_bps_tcp") String field,
        @NotNull @Schema(description = "< or >", example = "<") AlertOperator operator,
        @NotNull @Schema(example = "10000000") Double threshold,
        @NotNull @Schema(description = "ISO-8601 duration, 0 to 7 days", example = "PT48H", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING) Duration tolerance,
        @Schema(description = "default true") Boolean active) {
}
