-- Tenants' mail template overrides: subject, text and HTML of one mail
-- kind in one language (internal/mail).

-- +goose Up
CREATE TABLE mail_templates (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    subject    TEXT    NOT NULL DEFAULT '',
    text_body  TEXT    NOT NULL DEFAULT '',
    html_body  TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, lang)
) STRICT;

-- +goose Down
DROP TABLE mail_templates;
