package io.bandwatch.inventory.domain;

import java.time.Instant;
import java.util.UUID;

/** The last not-before of one revocation key (a row per user, organization or membership that had one). */
public class RevokedTokens {
    /** The key on inventory.token-revocations: user id, organization id or membership key. */
    public UUID subjectKey;
    public UUID userId;
    public UUID organizationId;
    public Instant notBefore;
    public String reason;
}
