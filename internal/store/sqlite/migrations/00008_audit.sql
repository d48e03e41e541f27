-- The hash-chained audit log (one chain per tenant) and the webhook
-- subscriptions with their delivery outbox. Audit rows have no foreign key
-- to tenants: the log outlives a deleted tenant, and triggers refuse every
-- UPDATE and DELETE of them.

-- +goose Up
CREATE TABLE audit_heads (
    tenant_id TEXT    NOT NULL PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      BLOB    NOT NULL
) STRICT;

CREATE TABLE audit_events (
    tenant_id  TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    time       INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    user_id    TEXT    NOT NULL DEFAULT '',
    actor_id   TEXT    NOT NULL DEFAULT '',
    ip         TEXT    NOT NULL DEFAULT '',
    device_id  TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    decision   TEXT    NOT NULL DEFAULT '',
    reasons    TEXT    NOT NULL DEFAULT '[]',
    data       TEXT    NOT NULL DEFAULT '{}',
    prev_hash  BLOB    NOT NULL,
    hash       BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
) STRICT;
CREATE INDEX audit_events_type ON audit_events (tenant_id, type, seq);
CREATE INDEX audit_events_user ON audit_events (tenant_id, user_id, seq);
CREATE INDEX audit_events_ip ON audit_events (tenant_id, ip, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

CREATE TABLE webhooks (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    event_types   TEXT    NOT NULL DEFAULT '[]',
    secret_sealed BLOB    NOT NULL,
    enabled       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE webhook_deliveries (
    tenant_id       TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    webhook_id      TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    user_id         TEXT    NOT NULL DEFAULT '',
    payload         BLOB    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_token     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (tenant_id, webhook_id, user_id, status, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE audit_events;
DROP TABLE audit_heads;
