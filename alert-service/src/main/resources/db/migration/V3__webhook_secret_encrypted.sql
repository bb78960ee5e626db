-- Webhook secrets are encrypted at rest (AES-256-GCM, SecretBox): webhook.secret holds
-- '<key id>:<base64(iv || ciphertext+tag)>' once secret_encrypted is true. Rows written before this
-- migration stay plain (false) until the service encrypts them at its next start.
ALTER TABLE webhook ADD COLUMN secret_encrypted BOOLEAN NOT NULL DEFAULT false;
COMMENT ON COLUMN webhook.secret IS 'SecretBox ciphertext <key id>:<base64> when secret_encrypted, else legacy plain text';
