-- PostgreSQL schema. Keys are TEXT COLLATE "C" so ORDER BY id is byte order
-- (UUIDv7 creation order) whatever the database collation. JSONB for
-- documents the store queries or rewrites, JSON for caller documents kept
-- byte-for-byte (attribute schema, JWKS).

-- +goose Up
CREATE TABLE tenants (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    slug             TEXT        NOT NULL UNIQUE,
    display_name     TEXT        NOT NULL DEFAULT '',
    region           TEXT        NOT NULL DEFAULT '',
    attribute_schema JSON,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT      NOT NULL
);

-- email/username keep what the user typed; *_norm hold the lowercased form
-- that lookups and the uniqueness rules use. Both may be empty (a user with
-- only a phone, or no username), and empty values are not unique.
CREATE TABLE users (
    tenant_id      TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             TEXT COLLATE "C" NOT NULL,
    email          TEXT        NOT NULL DEFAULT '',
    email_norm     TEXT        NOT NULL DEFAULT '',
    email_verified BOOLEAN     NOT NULL DEFAULT FALSE,
    username       TEXT        NOT NULL DEFAULT '',
    username_norm  TEXT        NOT NULL DEFAULT '',
    phone          TEXT        NOT NULL DEFAULT '',
    phone_verified BOOLEAN     NOT NULL DEFAULT FALSE,
    profile        JSONB       NOT NULL DEFAULT '{}',
    attributes     JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    disabled       BOOLEAN     NOT NULL DEFAULT FALSE,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_email_key ON users (tenant_id, email_norm) WHERE email_norm <> '';
CREATE UNIQUE INDEX users_username_key ON users (tenant_id, username_norm) WHERE username_norm <> '';
-- Serves the attribute filter (attributes @> {"key": "value"}).
CREATE INDEX users_attributes ON users USING GIN (attributes jsonb_path_ops);

CREATE TABLE passwords (
    tenant_id  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    hash       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE clients (
    tenant_id                    TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                           TEXT COLLATE "C" NOT NULL,
    secret_hash                  BYTEA,
    secret_expires_at            TIMESTAMPTZ,
    client_name                  TEXT        NOT NULL DEFAULT '',
    redirect_uris                JSONB       NOT NULL DEFAULT '[]',
    post_logout_redirect_uris    JSONB       NOT NULL DEFAULT '[]',
    grant_types                  JSONB       NOT NULL DEFAULT '[]',
    response_types               JSONB       NOT NULL DEFAULT '[]',
    token_endpoint_auth_method   TEXT        NOT NULL DEFAULT '',
    scope                        TEXT        NOT NULL DEFAULT '',
    client_uri                   TEXT        NOT NULL DEFAULT '',
    logo_uri                     TEXT        NOT NULL DEFAULT '',
    policy_uri                   TEXT        NOT NULL DEFAULT '',
    tos_uri                      TEXT        NOT NULL DEFAULT '',
    contacts                     JSONB       NOT NULL DEFAULT '[]',
    jwks_uri                     TEXT        NOT NULL DEFAULT '',
    jwks                         JSON,
    id_token_signed_response_alg TEXT        NOT NULL DEFAULT '',
    application_type             TEXT        NOT NULL DEFAULT '',
    metadata                     JSONB       NOT NULL DEFAULT '{}',
    created_at                   TIMESTAMPTZ NOT NULL,
    updated_at                   TIMESTAMPTZ NOT NULL,
    version                      BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE api_keys (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL DEFAULT '',
    scopes       JSONB       NOT NULL DEFAULT '[]',
    secret_hash  BYTEA,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

-- No foreign key to tenants: a claim may precede the tenant its request
-- creates. Deleting a tenant deletes its records explicitly.
CREATE TABLE idempotency_records (
    tenant_id    TEXT COLLATE "C" NOT NULL,
    idem_key     TEXT COLLATE "C" NOT NULL,
    request_hash BYTEA,
    status       INTEGER     NOT NULL DEFAULT 0,
    header       JSONB       NOT NULL DEFAULT '{}',
    body         BYTEA,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);

CREATE TABLE settings (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value      BYTEA       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE idempotency_records;
DROP TABLE api_keys;
DROP TABLE clients;
DROP TABLE passwords;
DROP TABLE users;
DROP TABLE tenants;
