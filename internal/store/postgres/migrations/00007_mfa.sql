-- Multi-factor authentication: enrolled factors (WebAuthn credentials,
-- TOTP, recovery code sets, SMS phones), in-flight challenges and
-- enrolments, remembered devices, and the tenant's MFA policy (JSON).
-- Secrets are sealed or hashed inside data / code_hash.

-- +goose Up
ALTER TABLE tenants ADD COLUMN mfa_policy JSON NOT NULL DEFAULT '{}';

CREATE TABLE mfa_factors (
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    user_id      TEXT COLLATE "C" NOT NULL,
    type         TEXT COLLATE "C" NOT NULL,
    name         TEXT        NOT NULL DEFAULT '',
    data         TEXT        NOT NULL DEFAULT '{}',
    weak         BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    version      BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX mfa_factors_user ON mfa_factors (tenant_id, user_id, id);

CREATE TABLE mfa_challenges (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C",
    kind       TEXT COLLATE "C" NOT NULL,
    data       BYTEA,
    code_hash  BYTEA,
    attempts   INTEGER     NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX mfa_challenges_expires ON mfa_challenges (expires_at);

CREATE TABLE mfa_devices (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX mfa_devices_user ON mfa_devices (tenant_id, user_id);
CREATE INDEX mfa_devices_expires ON mfa_devices (expires_at);

-- +goose Down
DROP TABLE mfa_devices;
DROP TABLE mfa_challenges;
DROP TABLE mfa_factors;
ALTER TABLE tenants DROP COLUMN mfa_policy;
