-- Invitations into organizations (issue 14): a person invited by email,
-- with the roles they get in the organization on accepting. Only the
-- SHA-256 of the link token is stored; an invitation is accepted once.

-- +goose Up
CREATE TABLE org_invitations (
    tenant_id   TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    role_ids    TEXT    NOT NULL DEFAULT '[]',
    token_hash  BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    accepted_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, org_id) REFERENCES organizations (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX org_invitations_hash ON org_invitations (tenant_id, token_hash);
CREATE INDEX org_invitations_org ON org_invitations (tenant_id, org_id, id);

-- +goose Down
DROP TABLE org_invitations;
