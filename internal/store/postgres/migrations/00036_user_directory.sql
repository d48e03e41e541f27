-- Data residency (issue 15): with regions configured, the main database
-- keeps no personal data of users, only a keyed hash of each identifier
-- (user ID, email, username) -> the user's region and ID. A key is unique
-- per tenant, so an email stays unique across regions.

-- +goose Up
CREATE TABLE user_directory (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    key       BYTEA NOT NULL,
    user_id   TEXT NOT NULL,
    region    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);
CREATE INDEX user_directory_user ON user_directory (tenant_id, user_id);

-- +goose Down
DROP TABLE user_directory;
