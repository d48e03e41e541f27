-- Federation (issue 12): a tenant's connections to upstream identity
-- providers and directories, and users' identities at them. A
-- connection's type-specific settings are JSON in config; its secrets
-- (client secret, bind password, private key) are one JSON document sealed
-- with the keyring (purpose "connection-secrets", bound to tenant/id) in
-- secrets_sealed, never stored in clear. A federated identity is keyed by
-- the upstream's subject: one user per (connection, subject), and one
-- identity per user and connection.

-- Connections are not cached by nodes yet, so they are not in the change-notify
-- trigger of 00015; the login round that caches connectors adds them.

-- +goose Up
CREATE TABLE connections (
    tenant_id         TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                TEXT COLLATE "C" NOT NULL,
    type              TEXT    NOT NULL,
    display_name      TEXT    NOT NULL,
    enabled           BOOLEAN NOT NULL,
    show_on_login     BOOLEAN NOT NULL,
    domains           TEXT    NOT NULL DEFAULT '[]',
    provisioning      TEXT    NOT NULL DEFAULT 'jit',
    link_by_email     TEXT    NOT NULL DEFAULT 'never',
    attribute_mapping TEXT    NOT NULL DEFAULT '{}',
    config            TEXT    NOT NULL DEFAULT '{}',
    secrets_sealed    BYTEA,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE federated_identities (
    tenant_id     TEXT COLLATE "C" NOT NULL,
    connection_id TEXT COLLATE "C" NOT NULL,
    subject       TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    email         TEXT    NOT NULL DEFAULT '',
    linked_at     TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, connection_id, subject),
    UNIQUE (tenant_id, user_id, connection_id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE federated_identities;
DROP TABLE connections;
