-- Risk engine: each tenant's risk policy as a JSON object ('{}' = all
-- defaults), and each user's sign-in history (known devices, countries,
-- networks, usual hours, last successful sign-in, recent source locks) as
-- one JSON document per user.

-- +goose Up
ALTER TABLE tenants ADD COLUMN risk TEXT NOT NULL DEFAULT '{}';
CREATE TABLE risk_history (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id         TEXT    NOT NULL,
    history         TEXT    NOT NULL DEFAULT '{}',
    last_success_at INTEGER,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE risk_history;
ALTER TABLE tenants DROP COLUMN risk;
