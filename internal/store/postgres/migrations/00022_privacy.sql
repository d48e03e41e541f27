-- Privacy (issue 15): the purposes a tenant processes personal data for,
-- the users' append-only consent ledger (each entry with its signed
-- receipt) and each user's current decision per purpose. The ledger goes
-- only with its user or tenant.

-- +goose Up
CREATE TABLE privacy_purposes (
    tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT COLLATE "C" NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    legal_basis TEXT    NOT NULL,
    required    BOOLEAN NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE privacy_ledger (
    tenant_id       TEXT COLLATE "C" NOT NULL,
    id              TEXT COLLATE "C" NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL,
    purpose_id      TEXT COLLATE "C" NOT NULL,
    purpose_version BIGINT NOT NULL,
    granted         BOOLEAN NOT NULL,
    channel         TEXT    NOT NULL,
    ip              TEXT    NOT NULL DEFAULT '',
    user_agent      TEXT    NOT NULL DEFAULT '',
    actor_id        TEXT    NOT NULL DEFAULT '',
    evidence        TEXT    NOT NULL DEFAULT '',
    receipt         TEXT    NOT NULL DEFAULT '',
    at              TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX privacy_ledger_user ON privacy_ledger (tenant_id, user_id, id);

CREATE TABLE privacy_decisions (
    tenant_id       TEXT COLLATE "C" NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL,
    purpose_id      TEXT COLLATE "C" NOT NULL,
    purpose_version BIGINT NOT NULL,
    granted         BOOLEAN NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    receipt_id      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, user_id, purpose_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX privacy_decisions_purpose ON privacy_decisions (tenant_id, purpose_id);

-- +goose Down
DROP TABLE privacy_decisions;
DROP TABLE privacy_ledger;
DROP TABLE privacy_purposes;
