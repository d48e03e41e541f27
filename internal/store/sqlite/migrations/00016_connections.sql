-- Federation (issue 12): a tenant's connections to upstream identity
-- providers and directories, and users' identities at them. A
-- connection's type-specific settings are JSON in config; its secrets
-- (client secret, bind password, private key) are one JSON document sealed
-- with the keyring (purpose "connection-secrets", bound to tenant/id) in
-- secrets_sealed, never stored in clear. A federated identity is keyed by
-- the upstream's subject: one user per (connection, subject), and one
-- identity per user and connection.

-- +goose Up
CREATE TABLE connections (
    tenant_id         TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                TEXT    NOT NULL,
    type              TEXT    NOT NULL,
    display_name      TEXT    NOT NULL,
    enabled           INTEGER NOT NULL,
    show_on_login     INTEGER NOT NULL,
    domains           TEXT    NOT NULL DEFAULT '[]',
    provisioning      TEXT    NOT NULL DEFAULT 'jit',
    link_by_email     TEXT    NOT NULL DEFAULT 'never',
    attribute_mapping TEXT    NOT NULL DEFAULT '{}',
    config            TEXT    NOT NULL DEFAULT '{}',
    secrets_sealed    BLOB,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE federated_identities (
    tenant_id     TEXT    NOT NULL,
    connection_id TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    email         TEXT    NOT NULL DEFAULT '',
    linked_at     INTEGER NOT NULL,
    last_used_at  INTEGER,
    PRIMARY KEY (tenant_id, connection_id, subject),
    UNIQUE (tenant_id, user_id, connection_id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;

-- +goose Down
DROP TABLE federated_identities;
DROP TABLE connections;
