-- Data exports (issue 15): a copy of what is held about a user, built in
-- the background and kept for 7 days. The document is JSON text; it goes
-- with its user or tenant, and a job deletes expired ones.

-- +goose Up
CREATE TABLE data_exports (
    tenant_id  TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    status     TEXT NOT NULL,
    document   TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX data_exports_expires ON data_exports (expires_at);

-- +goose Down
DROP TABLE data_exports;
