-- Tenant branding for the hosted pages: {"logo_uri": ..., "primary_color": ...}.

-- +goose Up
ALTER TABLE tenants ADD COLUMN branding JSON NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE tenants DROP COLUMN branding;
