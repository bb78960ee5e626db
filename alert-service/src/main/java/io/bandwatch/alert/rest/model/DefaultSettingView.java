package io.bandwatch.alert.rest.model;

import io.bandwatch.events.AlertOperator;
import io.bandwatch.events.CheckType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A default setting of an organization, created with each new check of that type. */
public record DefaultSettingView(@NotNull CheckType checkType, @NotBlank String field, @NotNull AlertOperator operator,
        @NotNull Double threshold,
        @NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, example = "PT48H") Duration tolerance,
        Boolean active) {
}
