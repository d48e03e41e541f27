-- Authorization for APIs (issue 14): APIs (resource servers) and the
-- scopes they define, clients' grants to them, roles with their
-- permissions, and users' roles. A user's effective permissions on an API
-- are one join over primary keys (user_roles -> role_permissions).

-- +goose Up
CREATE TABLE apis (
    tenant_id             TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                    TEXT    NOT NULL,
    identifier            TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    access_token_lifetime INTEGER NOT NULL,
    token_format          TEXT    NOT NULL,
    rbac                  INTEGER NOT NULL,
    permissions_in_token  INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, identifier)
) STRICT;

CREATE TABLE api_scopes (
    tenant_id   TEXT    NOT NULL,
    api_id      TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, api_id, value),
    FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE client_api_grants (
    tenant_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    api_id    TEXT NOT NULL,
    scopes    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, client_id, api_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX client_api_grants_api ON client_api_grants (tenant_id, api_id);

CREATE TABLE roles (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE role_permissions (
    tenant_id TEXT NOT NULL,
    role_id   TEXT NOT NULL,
    api_id    TEXT NOT NULL,
    scope     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, role_id, api_id, scope),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, api_id, scope) REFERENCES api_scopes (tenant_id, api_id, value) ON DELETE CASCADE
) STRICT;
CREATE INDEX role_permissions_api ON role_permissions (tenant_id, api_id, scope);

CREATE TABLE user_roles (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    role_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id);

-- The API an authorization request asked for (RFC 8707 resource), for
-- the code exchange.
ALTER TABLE auth_requests ADD COLUMN resource TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE auth_requests DROP COLUMN resource;
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE client_api_grants;
DROP TABLE api_scopes;
DROP TABLE apis;
