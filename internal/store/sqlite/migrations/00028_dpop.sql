-- DPoP (RFC 9449, issue 20): the key an authorization request's dpop_jkt
-- names, the key a public client's refresh token is bound to ('' for
-- none, as before), and the replay cache of used proofs, shared by every
-- node.

-- +goose Up
ALTER TABLE auth_requests ADD COLUMN dpop_jkt TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT NOT NULL DEFAULT '';
CREATE TABLE dpop_proofs (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash   BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key_hash)
) STRICT;
CREATE INDEX dpop_proofs_expires ON dpop_proofs (expires_at);

-- +goose Down
DROP TABLE dpop_proofs;
ALTER TABLE refresh_tokens DROP COLUMN dpop_jkt;
ALTER TABLE auth_requests DROP COLUMN dpop_jkt;
