-- Erasure with crypto-shredding and retention (issue 15).
--
-- user_data_keys: each user's data key, sealed with the master keyring.
-- Audit events about a user hold their personal fields (address, user
-- agent, email, names) sealed with it. The key goes with the user (ON
-- DELETE CASCADE), so erasing the user leaves those fields unreadable
-- while the sealed bytes, which the chain hashes, stay.
--
-- audit_checkpoints: where a tenant's chain starts after a retention purge
-- (the seq and hash of the last purged record, and the audit.purged event
-- that recorded the purge). The audit trigger now lets rows at or below
-- the checkpoint be deleted and nothing else (UPDATE and TRUNCATE stay
-- refused); a checkpoint never moves back and is never deleted.
--
-- tenants.retention: the tenant's retention settings (JSON).
--
-- contract: listed with its SQLite twin, which replaces a trigger. Here
-- only audit_events_append_only() gets a new body (CREATE OR REPLACE);
-- nothing the previous release uses goes.

-- +goose Up
CREATE TABLE user_data_keys (
    tenant_id  TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    key_sealed BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE audit_checkpoints (
    tenant_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    seq       BIGINT NOT NULL,
    hash      BYTEA  NOT NULL,
    event_id  TEXT COLLATE "C" NOT NULL,
    purged_at TIMESTAMPTZ NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION audit_checkpoints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq AND NEW.tenant_id = OLD.tenant_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_checkpoints only move forward and are kept' USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_checkpoints_guard BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_guard();

-- The existing triggers (UPDATE OR DELETE per row, TRUNCATE per statement)
-- call this function; replacing its body lets purged rows go.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE(
        (SELECT c.seq FROM audit_checkpoints c WHERE c.tenant_id = OLD.tenant_id), 0) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

ALTER TABLE tenants ADD COLUMN retention TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE tenants DROP COLUMN retention;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
DROP TABLE audit_checkpoints;
DROP FUNCTION audit_checkpoints_guard();
DROP TABLE user_data_keys;
