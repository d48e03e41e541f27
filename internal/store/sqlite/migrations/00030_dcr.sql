-- Dynamic client registration (RFC 7591/7592, issue 20).
-- tenants.dcr: who may register clients and how software statements are
-- checked (JSON). clients.registered_by: 'dcr' for self-registered
-- clients; clients.registration_token_hash: the keyed hash of their
-- registration access token (RFC 7592). initial_access_tokens: bearer
-- tokens the Admin API hands out for registration, stored as keyed hashes.

-- +goose Up
ALTER TABLE tenants ADD COLUMN dcr TEXT NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN registered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN registration_token_hash BLOB;
CREATE TABLE initial_access_tokens (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    secret_hash BLOB    NOT NULL,
    expires_at  INTEGER,
    max_uses    INTEGER NOT NULL DEFAULT 0,
    uses        INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

-- +goose Down
DROP TABLE initial_access_tokens;
ALTER TABLE clients DROP COLUMN registration_token_hash;
ALTER TABLE clients DROP COLUMN registered_by;
ALTER TABLE tenants DROP COLUMN dcr;
