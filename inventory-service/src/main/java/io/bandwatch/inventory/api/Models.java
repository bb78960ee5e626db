package io.bandwatch.inventory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.platform.json.SingleLine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** API models (JSON in snake_case). Secrets appear only in requests, never in views. */
public final class Models {

    private Models() {
    }

    public static final String ROLE_REGEX = "^(owner|operator|viewer)$";
    public static final String NAME_REGEX = "^[A-Za-z0-9._@+-]{1,100}$";
    /** An SSH user never starts with '-' (an option to ssh, e.g. -oProxyCommand=...). */
    public static final String SSH_USER_REGEX = "^[^-].*$";

    // ---- auth

    public record TokenRequest(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 200) String password) {
        @Override
        public String toString() {
            return "TokenRequest[username=" + username + "]";
        }
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    // ---- organizations and users

    public record OrganizationRequest(@NotBlank @Size(max = 200) @SingleLine String name, Boolean enabled) {
    }

    public record OrganizationView(UUID id, String name, boolean enabled, long version, Instant createdAt,
            Instant updatedAt) {
    }

    public record MembershipBody(@NotNull UUID organizationId, @NotNull @Pattern(regexp = ROLE_REGEX) String role) {
    }

    public record RoleBody(@NotNull @Pattern(regexp = ROLE_REGEX) String role) {
    }

    public record UserCreate(@NotNull @Pattern(regexp = NAME_REGEX) String username,
            @NotNull @Size(min = 8, max = 200) @Schema(writeOnly = true) String password, Boolean superuser,
            List<@NotNull @Valid MembershipBody> memberships) {
        @Override
        public String toString() {
            return "UserCreate[username=" + username + "]";
        }
    }

    public record UserUpdate(@Size(min = 8, max = 200) @Schema(writeOnly = true) String password, Boolean enabled,
            Boolean superuser) {
        @Override
        public String toString() {
            return "UserUpdate[enabled=" + enabled + "]";
        }
    }

    public record UserView(UUID id, String username, boolean superuser, boolean service, boolean enabled,
            List<MembershipBody> memberships, long version, Instant createdAt, Instant updatedAt) {
    }

    public record MemberView(UUID userId, String username, String role) {
    }

    // ---- devices

    public record DeviceRequest(
            @NotNull UUID organizationId,
            @NotBlank @Size(max = 200) @SingleLine String name,
            @NotBlank @Size(max = 253) @Schema(description = "host name, IPv4 or IPv6 literal") String address,
            @Min(1) @Max(65535) Integer sshPort,
            @NotBlank @Size(max = 100) @SingleLine
            @Pattern(regexp = SSH_USER_REGEX, message = "must not start with '-' (it would be read as an ssh option)")
            String sshUser,
            @Size(max = 16384) @Schema(writeOnly = true, description = "PEM private key (RSA or ed25519); write-only")
            String privateKey,
            @Size(min = 1, max = 200) @Schema(writeOnly = true, description = "SSH password; write-only") String password,
            @Pattern(regexp = DeviceSnapshot.FINGERPRINT_REGEX) String hostKeyFingerprint,
            @Size(max = 50) List<@NotBlank @Size(max = 100) @SingleLine String> tags,
            Boolean enabled,
            @Schema(description = "create: false skips the default ping and iperf3 checks (default true)")
            Boolean createDefaultChecks) {
        @Override
        public String toString() {
            return "DeviceRequest[name=" + name + "]";
        }
    }

    public record DeviceView(UUID id, UUID organizationId, String name, String address, int sshPort, String sshUser,
            String authMethod, @Schema(nullable = true, description = "null until pinned (given or recorded on first use)")
            String hostKeyFingerprint, List<String> tags, boolean enabled, String health,
            long version, Instant createdAt, Instant updatedAt) {
    }

    // ---- iperf3 servers

    public record ServerRequest(
            @NotEmpty List<@NotNull UUID> organizationIds,
            @NotBlank @Size(max = 253) String host,
            @Min(1) @Max(65535) Integer port,
            Boolean enabled,
            @Pattern(regexp = "^[!-~]{1,20}$") String username,
            @Size(min = 1, max = 20) @SingleLine @Schema(writeOnly = true) String password,
            @Size(max = 8192) @Schema(writeOnly = true) String rsaPublicKey) {
        @Override
        public String toString() {
            return "ServerRequest[host=" + host + "]";
        }
    }

    public record ServerView(UUID id, List<UUID> organizationIds, String host, int port, boolean enabled,
            @Schema(nullable = true, description = "iperf3 authentication user; null without") String username,
            boolean authRequired, long version, Instant createdAt,
            Instant updatedAt) {
    }

    // ---- checks

    /** Exactly one of cron and interval; in a view the other is null. */
    public record ScheduleBody(
            @Schema(nullable = true, description = "Unix cron, 5 fields (parsed with cron-utils)", example = "0 2 * * *")
            String cron,
            @Schema(nullable = true, description = "IANA time zone of the cron, default UTC", example = "Europe/Rome")
            String timeZone,
            @Schema(nullable = true, description = "fixed interval, at least PT10S, whole seconds", example = "PT5M")
            Duration interval,
            @Schema(nullable = true, description = "largest random delay of a start, at most one day", example = "PT30M")
            Duration randomSlip) {
    }

    public record CheckBody(
            @NotNull UUID deviceId,
            @Size(min = 1, max = 200) @SingleLine String name,
            @NotNull @Pattern(regexp = "^(iperf3|ping)$") String type,
            @Schema(description = "iperf3: OpenWISP Monitoring's JSON shape; ping: count, interval, bytes, timeout")
            JsonNode params,
            @Valid ScheduleBody schedule,
            Boolean active) {
        @Override
        public String toString() {
            return "CheckBody[type=" + type + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CheckView(UUID id, UUID organizationId, UUID deviceId, String name, String type, JsonNode params,
            boolean authSecretSet, JsonNode effectiveParams, ScheduleBody schedule, boolean active, long version,
            Instant createdAt, Instant updatedAt) {
    }

    public record RunAccepted(UUID requestId, UUID checkId, UUID deviceId) {
    }

    // ---- organization iperf3 defaults

    public record DefaultsView(UUID organizationId, JsonNode config, boolean authSecretSet, long version) {
    }

    public record ImportResult(List<UUID> organizations) {
    }

    // ---- internal (runner)

    public record HostKeyBody(@NotNull @Pattern(regexp = DeviceSnapshot.FINGERPRINT_REGEX) String fingerprint) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SshSecrets(String user, String authMethod, String privateKey, String password,
            String hostKeyFingerprint) {
        @Override
        public String toString() {
            return "SshSecrets[user=" + user + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Iperf3Auth(String username, String password, String rsaPublicKey) {
        @Override
        public String toString() {
            return "Iperf3Auth[username=" + username + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RunSecrets(UUID deviceId, SshSecrets ssh, Iperf3Auth iperf3Auth) {
        @Override
        public String toString() {
            return "RunSecrets[device_id=" + deviceId + "]";
        }
    }

    // ---- lists

    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
