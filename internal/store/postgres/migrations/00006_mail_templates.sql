-- Tenants' mail template overrides: subject, text and HTML of one mail
-- kind in one language (internal/mail).

-- +goose Up
CREATE TABLE mail_templates (
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT COLLATE "C" NOT NULL,
    lang       TEXT COLLATE "C" NOT NULL,
    subject    TEXT        NOT NULL DEFAULT '',
    text_body  TEXT        NOT NULL DEFAULT '',
    html_body  TEXT        NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind, lang)
);

-- +goose Down
DROP TABLE mail_templates;
