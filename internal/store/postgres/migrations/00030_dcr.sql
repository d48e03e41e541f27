-- Dynamic client registration (RFC 7591/7592, issue 20).
-- tenants.dcr: who may register clients and how software statements are
-- checked (JSON). clients.registered_by: 'dcr' for self-registered
-- clients; clients.registration_token_hash: the keyed hash of their
-- registration access token (RFC 7592). initial_access_tokens: bearer
-- tokens the Admin API hands out for registration, stored as keyed hashes.

-- +goose Up
ALTER TABLE tenants ADD COLUMN dcr JSON NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN registered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN registration_token_hash BYTEA;
CREATE TABLE initial_access_tokens (
    tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT COLLATE "C" NOT NULL,
    secret_hash BYTEA       NOT NULL,
    expires_at  TIMESTAMPTZ,
    max_uses    INTEGER NOT NULL DEFAULT 0,
    uses        INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- +goose Down
DROP TABLE initial_access_tokens;
ALTER TABLE clients DROP COLUMN registration_token_hash;
ALTER TABLE clients DROP COLUMN registered_by;
ALTER TABLE tenants DROP COLUMN dcr;
