-- The hash-chained audit log (one chain per tenant) and the webhook
-- subscriptions with their delivery outbox. Audit rows have no foreign key
-- to tenants: the log outlives a deleted tenant, and a trigger refuses
-- every UPDATE, DELETE and TRUNCATE of them. reasons and data are TEXT,
-- not JSONB, so the exact hashed bytes are kept.

-- +goose Up
CREATE TABLE audit_heads (
    tenant_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    seq       BIGINT NOT NULL,
    hash      BYTEA  NOT NULL
);

CREATE TABLE audit_events (
    tenant_id  TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    seq        BIGINT      NOT NULL,
    time       TIMESTAMPTZ NOT NULL,
    type       TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    actor_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
    ip         TEXT COLLATE "C" NOT NULL DEFAULT '',
    device_id  TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    decision   TEXT COLLATE "C" NOT NULL DEFAULT '',
    reasons    TEXT NOT NULL DEFAULT '[]',
    data       TEXT NOT NULL DEFAULT '{}',
    prev_hash  BYTEA NOT NULL,
    hash       BYTEA NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_events_type ON audit_events (tenant_id, type, seq);
CREATE INDEX audit_events_user ON audit_events (tenant_id, user_id, seq);
CREATE INDEX audit_events_ip ON audit_events (tenant_id, ip, seq);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE webhooks (
    tenant_id     TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            TEXT COLLATE "C" NOT NULL,
    url           TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    event_types   TEXT NOT NULL DEFAULT '[]',
    secret_sealed BYTEA NOT NULL,
    enabled       BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    tenant_id       TEXT COLLATE "C" NOT NULL,
    id              TEXT COLLATE "C" NOT NULL,
    webhook_id      TEXT COLLATE "C" NOT NULL,
    event_id        TEXT COLLATE "C" NOT NULL,
    event_type      TEXT COLLATE "C" NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL DEFAULT '',
    payload         BYTEA NOT NULL,
    status          TEXT COLLATE "C" NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    lease_token     TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (tenant_id, webhook_id, user_id, status, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE audit_heads;
