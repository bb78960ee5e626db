-- Token revocations (inventory.token-revocations): the last not-before per key, written with its outbox event in
-- the transaction of the change. Every service learns them from the topic; inventory also reads this table to issue
-- no token that a revocation of the same second would refuse (AuthService).
-- subject_key: the user id (user_id alone), the organization id (organization_id alone) or the membership key
-- (both; a name-based UUID of 'membership:<user_id>:<organization_id>', TokenRevocation.membershipKey).
CREATE TABLE token_revocation (
    subject_key     UUID PRIMARY KEY,
    user_id         UUID,
    organization_id UUID,
    not_before      TIMESTAMPTZ NOT NULL,
    reason          VARCHAR(64) NOT NULL,
    CHECK (user_id IS NOT NULL OR organization_id IS NOT NULL)
);
CREATE INDEX token_revocation_user ON token_revocation (user_id);
CREATE INDEX token_revocation_organization ON token_revocation (organization_id) WHERE user_id IS NULL;
