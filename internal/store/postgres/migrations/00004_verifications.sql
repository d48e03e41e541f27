-- Email verification codes and link tokens (self-service registration).
-- Only hashes are stored: HMAC for codes, SHA-256 for link tokens.

-- +goose Up
CREATE TABLE verifications (
    tenant_id       TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT COLLATE "C" NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL,
    purpose         TEXT COLLATE "C" NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL,
    hash            BYTEA       NOT NULL,
    auth_request_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX verifications_hash ON verifications (tenant_id, hash);
CREATE INDEX verifications_user ON verifications (tenant_id, user_id, purpose, kind, id);
CREATE INDEX verifications_expires ON verifications (expires_at);

-- +goose Down
DROP TABLE verifications;
