-- The API (RFC 8707 resource) a device authorization asks tokens for
-- (issue 14): '' for none, as before.

-- +goose Up
ALTER TABLE device_authorizations ADD COLUMN resource TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE device_authorizations DROP COLUMN resource;
