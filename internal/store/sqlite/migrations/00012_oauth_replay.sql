-- Replay defences of the OAuth provider, shared by every node through the
-- database: the jti of each private_key_jwt client assertion, kept (as a
-- SHA-256 hash) until the assertion expires, so it is accepted once
-- (RFC 7523 3); and the device flow's polling state, so a device that
-- polls faster than its interval gets slow_down and a longer interval
-- (RFC 8628 3.5), in whole seconds.

-- +goose Up
CREATE TABLE client_assertions (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL,
    jti_hash   BLOB    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_id, jti_hash),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX client_assertions_expires ON client_assertions (expires_at);
ALTER TABLE device_authorizations ADD COLUMN poll_interval INTEGER NOT NULL DEFAULT 5;
ALTER TABLE device_authorizations ADD COLUMN last_polled_at INTEGER;

-- +goose Down
ALTER TABLE device_authorizations DROP COLUMN last_polled_at;
ALTER TABLE device_authorizations DROP COLUMN poll_interval;
DROP TABLE client_assertions;
