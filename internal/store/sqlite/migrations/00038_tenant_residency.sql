-- Data residency policy of a tenant (issue 15): where new users' personal
-- data goes, as JSON {mode, region | countries+fallback | regions}; '{}'
-- for none (the server's default region).

-- +goose Up
ALTER TABLE tenants ADD COLUMN residency TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE tenants DROP COLUMN residency;
