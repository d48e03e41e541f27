-- Privacy (issue 15): the purposes a tenant processes personal data for,
-- the users' append-only consent ledger (each entry with its signed
-- receipt) and each user's current decision per purpose. The ledger goes
-- only with its user or tenant.

-- +goose Up
CREATE TABLE privacy_purposes (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    legal_basis TEXT    NOT NULL,
    required    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE privacy_ledger (
    tenant_id       TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    purpose_id      TEXT    NOT NULL,
    purpose_version INTEGER NOT NULL,
    granted         INTEGER NOT NULL,
    channel         TEXT    NOT NULL,
    ip              TEXT    NOT NULL DEFAULT '',
    user_agent      TEXT    NOT NULL DEFAULT '',
    actor_id        TEXT    NOT NULL DEFAULT '',
    evidence        TEXT    NOT NULL DEFAULT '',
    receipt         TEXT    NOT NULL DEFAULT '',
    at              INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX privacy_ledger_user ON privacy_ledger (tenant_id, user_id, id);

CREATE TABLE privacy_decisions (
    tenant_id       TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    purpose_id      TEXT    NOT NULL,
    purpose_version INTEGER NOT NULL,
    granted         INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    receipt_id      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, user_id, purpose_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX privacy_decisions_purpose ON privacy_decisions (tenant_id, purpose_id);

-- +goose Down
DROP TABLE privacy_decisions;
DROP TABLE privacy_ledger;
DROP TABLE privacy_purposes;
