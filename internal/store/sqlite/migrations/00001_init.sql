-- SQLite schema. STRICT tables enforce column types. Timestamps are INTEGER
-- unix microseconds (UTC); booleans are INTEGER 0/1; JSON is TEXT.

-- +goose Up
CREATE TABLE tenants (
    id               TEXT    NOT NULL PRIMARY KEY,
    slug             TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL DEFAULT '',
    region           TEXT    NOT NULL DEFAULT '',
    attribute_schema TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL
) STRICT;

-- email/username keep what the user typed; *_norm hold the lowercased form
-- that lookups and the uniqueness rules use. Both may be empty (a user with
-- only a phone, or no username), and empty values are not unique.
CREATE TABLE users (
    tenant_id      TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             TEXT    NOT NULL,
    email          TEXT    NOT NULL DEFAULT '',
    email_norm     TEXT    NOT NULL DEFAULT '',
    email_verified INTEGER NOT NULL DEFAULT 0,
    username       TEXT    NOT NULL DEFAULT '',
    username_norm  TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    phone_verified INTEGER NOT NULL DEFAULT 0,
    profile        TEXT    NOT NULL DEFAULT '{}',
    attributes     TEXT    NOT NULL DEFAULT '{}' CHECK (json_type(attributes) = 'object'),
    disabled       INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX users_email_key ON users (tenant_id, email_norm) WHERE email_norm <> '';
CREATE UNIQUE INDEX users_username_key ON users (tenant_id, username_norm) WHERE username_norm <> '';

CREATE TABLE passwords (
    tenant_id  TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE clients (
    tenant_id                    TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                           TEXT    NOT NULL,
    secret_hash                  BLOB,
    secret_expires_at            INTEGER,
    client_name                  TEXT    NOT NULL DEFAULT '',
    redirect_uris                TEXT    NOT NULL DEFAULT '[]',
    post_logout_redirect_uris    TEXT    NOT NULL DEFAULT '[]',
    grant_types                  TEXT    NOT NULL DEFAULT '[]',
    response_types               TEXT    NOT NULL DEFAULT '[]',
    token_endpoint_auth_method   TEXT    NOT NULL DEFAULT '',
    scope                        TEXT    NOT NULL DEFAULT '',
    client_uri                   TEXT    NOT NULL DEFAULT '',
    logo_uri                     TEXT    NOT NULL DEFAULT '',
    policy_uri                   TEXT    NOT NULL DEFAULT '',
    tos_uri                      TEXT    NOT NULL DEFAULT '',
    contacts                     TEXT    NOT NULL DEFAULT '[]',
    jwks_uri                     TEXT    NOT NULL DEFAULT '',
    jwks                         TEXT,
    id_token_signed_response_alg TEXT    NOT NULL DEFAULT '',
    application_type             TEXT    NOT NULL DEFAULT '',
    metadata                     TEXT    NOT NULL DEFAULT '{}',
    created_at                   INTEGER NOT NULL,
    updated_at                   INTEGER NOT NULL,
    version                      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE api_keys (
    id           TEXT    NOT NULL PRIMARY KEY,
    tenant_id    TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL DEFAULT '',
    scopes       TEXT    NOT NULL DEFAULT '[]',
    secret_hash  BLOB,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

-- No foreign key to tenants: a claim may precede the tenant its request
-- creates. Deleting a tenant deletes its records explicitly.
CREATE TABLE idempotency_records (
    tenant_id    TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    request_hash BLOB,
    status       INTEGER NOT NULL DEFAULT 0,
    header       TEXT    NOT NULL DEFAULT '{}',
    body         BLOB,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
) STRICT;
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);

CREATE TABLE settings (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE settings;
DROP TABLE idempotency_records;
DROP TABLE api_keys;
DROP TABLE clients;
DROP TABLE passwords;
DROP TABLE users;
DROP TABLE tenants;
