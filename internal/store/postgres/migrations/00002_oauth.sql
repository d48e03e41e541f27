-- OAuth/OIDC provider state. Conventions as in 00001: keys TEXT COLLATE
-- "C", TIMESTAMPTZ, hashes as BYTEA. Lists and maps are JSON, not JSONB:
-- nothing queries into them, and they carry request parameters verbatim,
-- which may hold \u0000. JSONB refuses that escape (SQLSTATE 22P05) while
-- SQLite and JSON accept it, so JSON keeps the engines in step.
--
-- Every table belongs to a tenant (ON DELETE CASCADE). user_id, where a row
-- may have no user (client credentials, a request not yet authenticated),
-- is nullable: NULL is "no user", and a composite foreign key with a NULL
-- column is not checked (MATCH SIMPLE), so the same column cascades on
-- user deletion when it is set. Optional times (auth_time before
-- authentication) are NULL for the zero time. Every foreign key's child
-- columns lead an index, so deleting a user or client does not scan these
-- tables.

-- +goose Up
CREATE TABLE auth_requests (
    tenant_id             TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                    TEXT COLLATE "C" NOT NULL,
    client_id             TEXT COLLATE "C" NOT NULL,
    redirect_uri          TEXT        NOT NULL DEFAULT '',
    state                 TEXT        NOT NULL DEFAULT '',
    nonce                 TEXT        NOT NULL DEFAULT '',
    scopes                JSON        NOT NULL DEFAULT '[]',
    response_type         TEXT        NOT NULL DEFAULT '',
    response_mode         TEXT        NOT NULL DEFAULT '',
    code_challenge        TEXT        NOT NULL DEFAULT '',
    code_challenge_method TEXT        NOT NULL DEFAULT '',
    prompt                JSON        NOT NULL DEFAULT '[]',
    max_age_ns            BIGINT,
    login_hint            TEXT        NOT NULL DEFAULT '',
    ui_locales            JSON        NOT NULL DEFAULT '[]',
    acr_values            JSON        NOT NULL DEFAULT '[]',
    user_id               TEXT COLLATE "C",
    session_id            TEXT COLLATE "C" NOT NULL DEFAULT '',
    auth_time             TIMESTAMPTZ,
    amr                   JSON        NOT NULL DEFAULT '[]',
    acr                   TEXT        NOT NULL DEFAULT '',
    done                  BOOLEAN     NOT NULL DEFAULT FALSE,
    code_hash             BYTEA,
    code_used_at          TIMESTAMPTZ,
    issued_access_jti     TEXT        NOT NULL DEFAULT '',
    issued_family_id      TEXT        NOT NULL DEFAULT '',
    created_at            TIMESTAMPTZ NOT NULL,
    expires_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
-- NULL code hashes (no code issued yet) are distinct, so they never collide.
CREATE UNIQUE INDEX auth_requests_code ON auth_requests (tenant_id, code_hash);
CREATE INDEX auth_requests_client ON auth_requests (tenant_id, client_id);
CREATE INDEX auth_requests_user ON auth_requests (tenant_id, user_id);
CREATE INDEX auth_requests_expires ON auth_requests (expires_at);

CREATE TABLE sessions (
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    user_id      TEXT COLLATE "C" NOT NULL,
    token_hash   BYTEA       NOT NULL,
    ip           TEXT        NOT NULL DEFAULT '',
    user_agent   TEXT        NOT NULL DEFAULT '',
    auth_time    TIMESTAMPTZ,
    amr          JSON        NOT NULL DEFAULT '[]',
    acr          TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sessions_token ON sessions (tenant_id, token_hash);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id, id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE consents (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    scopes     JSON        NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id, client_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consents_client ON consents (tenant_id, client_id);

-- session_id has no foreign key: a refresh token (offline access) may
-- outlive the browser session it was issued under.
CREATE TABLE refresh_tokens (
    tenant_id         TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                TEXT COLLATE "C" NOT NULL,
    family_id         TEXT COLLATE "C" NOT NULL,
    token_hash        BYTEA       NOT NULL,
    client_id         TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C",
    session_id        TEXT COLLATE "C" NOT NULL DEFAULT '',
    scopes            JSON        NOT NULL DEFAULT '[]',
    audience          JSON        NOT NULL DEFAULT '[]',
    auth_time         TIMESTAMPTZ,
    amr               JSON        NOT NULL DEFAULT '[]',
    acr               TEXT        NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    family_expires_at TIMESTAMPTZ NOT NULL,
    rotated_at        TIMESTAMPTZ,
    revoked_at        TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX refresh_tokens_token ON refresh_tokens (tenant_id, token_hash);
CREATE INDEX refresh_tokens_family ON refresh_tokens (tenant_id, family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (tenant_id, user_id, client_id);
CREATE INDEX refresh_tokens_client ON refresh_tokens (tenant_id, client_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (tenant_id, session_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_family_expires ON refresh_tokens (family_expires_at);

-- A user code is unique in its tenant; Create first deletes an expired
-- holder of the code, so only an unexpired one conflicts.
CREATE TABLE device_authorizations (
    tenant_id        TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_code_hash BYTEA       NOT NULL,
    user_code        TEXT COLLATE "C" NOT NULL,
    client_id        TEXT COLLATE "C" NOT NULL,
    scopes           JSON        NOT NULL DEFAULT '[]',
    state            TEXT        NOT NULL,
    user_id          TEXT COLLATE "C",
    auth_time        TIMESTAMPTZ,
    amr              JSON        NOT NULL DEFAULT '[]',
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, device_code_hash),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX device_authorizations_user_code ON device_authorizations (tenant_id, user_code);
CREATE INDEX device_authorizations_client ON device_authorizations (tenant_id, client_id);
CREATE INDEX device_authorizations_user ON device_authorizations (tenant_id, user_id);
CREATE INDEX device_authorizations_expires ON device_authorizations (expires_at);

CREATE TABLE pushed_requests (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    params     JSON        NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX pushed_requests_client ON pushed_requests (tenant_id, client_id);
CREATE INDEX pushed_requests_expires ON pushed_requests (expires_at);

CREATE TABLE signing_keys (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    alg        TEXT        NOT NULL,
    private    BYTEA       NOT NULL,
    public_jwk JSON,
    created_at TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE revocations (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT COLLATE "C" NOT NULL,
    rev_key    TEXT COLLATE "C" NOT NULL,
    not_before TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind, rev_key)
);
CREATE INDEX revocations_created ON revocations (created_at);
CREATE INDEX revocations_expires ON revocations (expires_at);

CREATE TABLE opaque_tokens (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT COLLATE "C" NOT NULL,
    token_hash BYTEA       NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C",
    session_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    scopes     JSON        NOT NULL DEFAULT '[]',
    audience   JSON        NOT NULL DEFAULT '[]',
    claims     JSON        NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX opaque_tokens_token ON opaque_tokens (tenant_id, token_hash);
CREATE INDEX opaque_tokens_client ON opaque_tokens (tenant_id, client_id);
CREATE INDEX opaque_tokens_user ON opaque_tokens (tenant_id, user_id);
CREATE INDEX opaque_tokens_expires ON opaque_tokens (expires_at);

-- +goose Down
DROP TABLE opaque_tokens;
DROP TABLE revocations;
DROP TABLE signing_keys;
DROP TABLE pushed_requests;
DROP TABLE device_authorizations;
DROP TABLE refresh_tokens;
DROP TABLE consents;
DROP TABLE sessions;
DROP TABLE auth_requests;
