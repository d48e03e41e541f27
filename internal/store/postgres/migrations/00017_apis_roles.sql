-- Authorization for APIs (issue 14): APIs (resource servers) and the
-- scopes they define, clients' grants to them, roles with their
-- permissions, and users' roles. A user's effective permissions on an API
-- are one join over primary keys (user_roles -> role_permissions).

-- +goose Up
CREATE TABLE apis (
    tenant_id             TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                    TEXT COLLATE "C" NOT NULL,
    identifier            TEXT COLLATE "C" NOT NULL,
    name                  TEXT    NOT NULL,
    access_token_lifetime INTEGER NOT NULL,
    token_format          TEXT    NOT NULL,
    rbac                  BOOLEAN NOT NULL,
    permissions_in_token  BOOLEAN NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    version               BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, identifier)
);

CREATE TABLE api_scopes (
    tenant_id   TEXT COLLATE "C" NOT NULL,
    api_id      TEXT COLLATE "C" NOT NULL,
    value       TEXT COLLATE "C" NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, api_id, value),
    FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE client_api_grants (
    tenant_id TEXT COLLATE "C" NOT NULL,
    client_id TEXT COLLATE "C" NOT NULL,
    api_id    TEXT COLLATE "C" NOT NULL,
    scopes    JSONB NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, client_id, api_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_api_grants_api ON client_api_grants (tenant_id, api_id);

CREATE TABLE roles (
    tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE role_permissions (
    tenant_id TEXT COLLATE "C" NOT NULL,
    role_id   TEXT COLLATE "C" NOT NULL,
    api_id    TEXT COLLATE "C" NOT NULL,
    scope     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, role_id, api_id, scope),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, api_id, scope) REFERENCES api_scopes (tenant_id, api_id, value) ON DELETE CASCADE
);
CREATE INDEX role_permissions_api ON role_permissions (tenant_id, api_id, scope);

CREATE TABLE user_roles (
    tenant_id TEXT COLLATE "C" NOT NULL,
    user_id   TEXT COLLATE "C" NOT NULL,
    role_id   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id);

-- The token endpoint caches what a client may get of an API
-- (protocol/oidc/resource.go): a change to an API, its scopes or a grant
-- announces the tenant (kind 'apis', as gatehouse_notify in 00015 does
-- for the other cached tables; one message per transaction, as PostgreSQL
-- folds identical notifications).
-- +goose StatementBegin
CREATE FUNCTION gatehouse_notify_apis() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify(left('gatehouse:' || current_schema(), 63),
        jsonb_build_object('k', 'apis', 't', r.tenant_id)::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER apis_notify AFTER INSERT OR UPDATE OR DELETE ON apis
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_apis();
CREATE TRIGGER api_scopes_notify AFTER INSERT OR UPDATE OR DELETE ON api_scopes
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_apis();
CREATE TRIGGER client_api_grants_notify AFTER INSERT OR UPDATE OR DELETE ON client_api_grants
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_apis();

-- The API an authorization request asked for (RFC 8707 resource), for
-- the code exchange.
ALTER TABLE auth_requests ADD COLUMN resource TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE auth_requests DROP COLUMN resource;
DROP TRIGGER client_api_grants_notify ON client_api_grants;
DROP TRIGGER api_scopes_notify ON api_scopes;
DROP TRIGGER apis_notify ON apis;
DROP FUNCTION gatehouse_notify_apis();
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE client_api_grants;
DROP TABLE api_scopes;
DROP TABLE apis;
