package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Tokens issued before {@code not_before} lose what this revocation names, on {@link Topics#TOKEN_REVOCATIONS}
 * (compacted), published by inventory-service when access ends early:
 * <ul>
 * <li>{@code user_id} alone: every token of the user (password changed, user disabled, superuser flag changed);
 * key the user id;</li>
 * <li>{@code organization_id} alone: the organization in every token (organization disabled); key the
 * organization id;</li>
 * <li>both: the organization in the user's tokens (membership removed or its role changed); key
 * {@link #membershipKey}.</li>
 * </ul>
 * A token's {@code iat} is whole seconds, so inventory sets {@code not_before} to the whole second after the change
 * and issues no token for the user before it: every token issued before the change is refused, none issued after.
 *
 * @param userId         the user whose tokens are revoked (with organization_id: only for that organization)
 * @param organizationId the organization revoked in tokens (of every user, or of user_id only)
 * @param notBefore      tokens whose {@code iat} is before this instant are refused what is named
 * @param reason         why, e.g. {@code password_changed}, {@code membership_removed}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenRevocation(
        UUID userId,
        UUID organizationId,
        @JsonProperty(required = true) Instant notBefore,
        @JsonProperty(required = true) String reason) implements Event {

    public TokenRevocation {
        if (userId == null && organizationId == null) {
            throw new InvalidFieldException("user_id", "a revocation names a user, an organization or both");
        }
        java.util.Objects.requireNonNull(notBefore, "not_before");
        Validation.notBlank(reason, "reason");
    }

    /** Every token of the user. */
    public static TokenRevocation ofUser(UUID userId, Instant notBefore, String reason) {
        return new TokenRevocation(userId, null, notBefore, reason);
    }

    /** The organization in every token. */
    public static TokenRevocation ofOrganization(UUID organizationId, Instant notBefore, String reason) {
        return new TokenRevocation(null, organizationId, notBefore, reason);
    }

    /** The organization in the user's tokens. */
    public static TokenRevocation ofMembership(UUID userId, UUID organizationId, Instant notBefore, String reason) {
        return new TokenRevocation(userId, organizationId, notBefore, reason);
    }

    /** The key of a membership's revocations: a name-based UUID of {@code membership:<user>:<organization>}. */
    public static UUID membershipKey(UUID userId, UUID organizationId) {
        return UUID.nameUUIDFromBytes(("membership:" + userId + ":" + organizationId).getBytes(StandardCharsets.UTF_8));
    }

    /** The Kafka key: the user id, the organization id, or {@link #membershipKey} when both are named. */
    public UUID subjectKey() {
        if (userId != null && organizationId != null) {
            return membershipKey(userId, organizationId);
        }
        return userId != null ? userId : organizationId;
    }

    @Override
    public EventType eventType() {
        return EventType.TOKEN_REVOCATION;
    }

    /** Derived from (key, not_before): the same revocation published twice has the same id. */
    @Override
    public UUID eventId() {
        return EventType.derivedEventId(EventType.TOKEN_REVOCATION, subjectKey(), notBefore);
    }

    @Override
    public Instant eventTime() {
        return notBefore;
    }
}
