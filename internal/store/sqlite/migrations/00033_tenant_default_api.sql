-- A tenant's default API (issue 14): the identifier of the API a token
-- is for when its request names no resource but asks for the API's
-- scopes; '' for none.

-- +goose Up
ALTER TABLE tenants ADD COLUMN default_api TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenants DROP COLUMN default_api;
