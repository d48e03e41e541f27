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
-- that recorded the purge). The delete trigger now lets rows at or below
-- the checkpoint go and nothing else; a checkpoint never moves back and is
-- never deleted.
--
-- tenants.retention: the tenant's retention settings (JSON).
--
-- contract: SQLite cannot alter a trigger, so audit_events_no_delete is
-- dropped and created again (with the checkpoint condition) in this one
-- migration. Nothing the previous release uses goes: it never deletes
-- audit rows, and it still cannot delete any above a checkpoint.

-- +goose Up
CREATE TABLE user_data_keys (
    tenant_id  TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    key_sealed BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE audit_checkpoints (
    tenant_id TEXT    NOT NULL PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      BLOB    NOT NULL,
    event_id  TEXT    NOT NULL,
    purged_at INTEGER NOT NULL
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints are kept');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_checkpoints_forward BEFORE UPDATE ON audit_checkpoints
WHEN NEW.seq < OLD.seq OR NEW.tenant_id <> OLD.tenant_id
BEGIN
    SELECT RAISE(ABORT, 'an audit checkpoint only moves forward');
END;
-- +goose StatementEnd

DROP TRIGGER audit_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.seq > COALESCE((SELECT c.seq FROM audit_checkpoints c WHERE c.tenant_id = OLD.tenant_id), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

ALTER TABLE tenants ADD COLUMN retention TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE tenants DROP COLUMN retention;
DROP TRIGGER audit_events_no_delete;
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
DROP TABLE audit_checkpoints;
DROP TABLE user_data_keys;
