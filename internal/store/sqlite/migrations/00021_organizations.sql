-- Organizations (B2B, issue 14): a tenant's customer companies, their
-- members (users of the tenant) and the members' roles inside each
-- organization. A member's permissions in an organization are one join
-- over primary keys (organization_member_roles -> role_permissions); a
-- user's organizations are found through organization_members_user.

-- +goose Up
CREATE TABLE organizations (
    tenant_id      TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    display_name   TEXT    NOT NULL DEFAULT '',
    logo_uri       TEXT    NOT NULL DEFAULT '',
    primary_color  TEXT    NOT NULL DEFAULT '',
    connections    TEXT    NOT NULL DEFAULT '[]',
    domains        TEXT    NOT NULL DEFAULT '[]',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE organization_members (
    tenant_id  TEXT    NOT NULL,
    org_id     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, org_id, user_id),
    FOREIGN KEY (tenant_id, org_id) REFERENCES organizations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX organization_members_user ON organization_members (tenant_id, user_id, org_id);

CREATE TABLE organization_member_roles (
    tenant_id TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    role_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, org_id, user_id, role_id),
    FOREIGN KEY (tenant_id, org_id, user_id) REFERENCES organization_members (tenant_id, org_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX organization_member_roles_role ON organization_member_roles (tenant_id, role_id);

-- The organization a sign-in was scoped to (authorize organization=), and
-- the one a refresh token's tokens are for: a refresh checks the
-- membership again.
ALTER TABLE auth_requests ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN org_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN org_id;
ALTER TABLE auth_requests DROP COLUMN org_id;
DROP TABLE organization_member_roles;
DROP TABLE organization_members;
DROP TABLE organizations;
