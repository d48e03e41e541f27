-- Multi-factor authentication: enrolled factors (WebAuthn credentials,
-- TOTP, recovery code sets, SMS phones), in-flight challenges and
-- enrolments, remembered devices, and the tenant's MFA policy (JSON).
-- Secrets are sealed or hashed inside data / code_hash.

-- +goose Up
ALTER TABLE tenants ADD COLUMN mfa_policy TEXT NOT NULL DEFAULT '{}';

CREATE TABLE mfa_factors (
    tenant_id    TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    name         TEXT    NOT NULL DEFAULT '',
    data         TEXT    NOT NULL DEFAULT '{}',
    weak         INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    version      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX mfa_factors_user ON mfa_factors (tenant_id, user_id, id);

CREATE TABLE mfa_challenges (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    user_id    TEXT,
    kind       TEXT    NOT NULL,
    data       BLOB,
    code_hash  BLOB,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX mfa_challenges_expires ON mfa_challenges (expires_at);

CREATE TABLE mfa_devices (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX mfa_devices_user ON mfa_devices (tenant_id, user_id);
CREATE INDEX mfa_devices_expires ON mfa_devices (expires_at);

-- +goose Down
DROP TABLE mfa_devices;
DROP TABLE mfa_challenges;
DROP TABLE mfa_factors;
ALTER TABLE tenants DROP COLUMN mfa_policy;
