-- Rich authorization requests (RFC 9396, issue 20): the detail types an
-- API declares (a JSON list of {type, description, schema}), the details
-- an authorization request asked for and a refresh token keeps (a
-- canonical JSON array, '' for none), and the details a user consented
-- to for a client (a JSON list of canonical JSON objects).

-- +goose Up
ALTER TABLE apis ADD COLUMN authorization_details_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE auth_requests ADD COLUMN authorization_details TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN authorization_details TEXT NOT NULL DEFAULT '';
ALTER TABLE consents ADD COLUMN authorization_details TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE consents DROP COLUMN authorization_details;
ALTER TABLE refresh_tokens DROP COLUMN authorization_details;
ALTER TABLE auth_requests DROP COLUMN authorization_details;
ALTER TABLE apis DROP COLUMN authorization_details_types;
