-- Email verification codes and link tokens (self-service registration).
-- Only hashes are stored: HMAC for codes, SHA-256 for link tokens.

-- +goose Up
CREATE TABLE verifications (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    purpose         TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    hash            BLOB    NOT NULL,
    auth_request_id TEXT    NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX verifications_hash ON verifications (tenant_id, hash);
CREATE INDEX verifications_user ON verifications (tenant_id, user_id, purpose, kind, id);
CREATE INDEX verifications_expires ON verifications (expires_at);

-- +goose Down
DROP TABLE verifications;
