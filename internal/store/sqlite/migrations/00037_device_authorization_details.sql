-- Rich authorization requests with the device flow (RFC 9396 with RFC
-- 8628, issue 20): the details a device authorization asked for (a
-- canonical JSON array, '' for none), shown on the approval page and
-- granted in the tokens.

-- +goose Up
ALTER TABLE device_authorizations ADD COLUMN authorization_details TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE device_authorizations DROP COLUMN authorization_details;
