package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The last not-before of one revocation key (a row per user, organization or membership that had one). */
@Entity
@Table(name = "token_revocation")
public class RevokedTokens {
    /** The key on inventory.token-revocations: user id, organization id or membership key. */
    @Id
    @Column(name = "subject_key")
    public UUID subjectKey;
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "organization_id")
    public UUID organizationId;
    @Column(name = "not_before")
    public Instant notBefore;
    public String reason;
}
