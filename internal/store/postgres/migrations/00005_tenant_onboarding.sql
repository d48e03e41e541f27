-- Per-tenant onboarding settings (registration on/off, unverified sign-in,
-- terms version and URI) as a JSON object, and the terms version each user
-- accepted at registration with when.

-- +goose Up
ALTER TABLE tenants ADD COLUMN onboarding JSON NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN terms_version TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN terms_accepted_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE users DROP COLUMN terms_accepted_at;
ALTER TABLE users DROP COLUMN terms_version;
ALTER TABLE tenants DROP COLUMN onboarding;
