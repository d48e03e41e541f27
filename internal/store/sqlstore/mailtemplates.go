package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// mailTemplateRepo stores tenants' mail template overrides, keyed by
// tenant, kind and language; the tenant is a foreign key.
type mailTemplateRepo Store

const mailTemplateCols = `tenant_id, kind, lang, subject, text_body, html_body, updated_at`

func scanMailTemplate(sc scanner) (*store.MailTemplate, error) {
	var m store.MailTemplate
	if err := sc.Scan(&m.TenantID, &m.Kind, &m.Lang, &m.Subject, &m.Text, &m.HTML, tsCol{&m.UpdatedAt}); err != nil {
		return nil, err
	}
	return &m, nil
}

func (r *mailTemplateRepo) Get(ctx context.Context, tenantID, kind, lang string) (*store.MailTemplate, error) {
	s := (*Store)(r)
	m, err := scanMailTemplate(s.queryRow(ctx, `SELECT `+mailTemplateCols+` FROM mail_templates
		WHERE tenant_id = ? AND kind = ? AND lang = ?`, tenantID, kind, lang))
	return m, s.c.mapErr(err)
}

func (r *mailTemplateRepo) List(ctx context.Context, tenantID string) ([]store.MailTemplate, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+mailTemplateCols+` FROM mail_templates WHERE tenant_id = ? ORDER BY kind, lang`, tenantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.MailTemplate
	for rows.Next() {
		m, err := scanMailTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

func (r *mailTemplateRepo) Put(ctx context.Context, m *store.MailTemplate) error {
	s := (*Store)(r)
	now := norm(s.now())
	if _, err := s.exec(ctx, `INSERT INTO mail_templates (`+mailTemplateCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, kind, lang) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
			html_body = excluded.html_body, updated_at = excluded.updated_at`,
		m.TenantID, m.Kind, m.Lang, m.Subject, m.Text, m.HTML, s.ts(now)); err != nil {
		return err
	}
	m.UpdatedAt = now
	return nil
}

func (r *mailTemplateRepo) Delete(ctx context.Context, tenantID, kind, lang string) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `DELETE FROM mail_templates WHERE tenant_id = ? AND kind = ? AND lang = ?`, tenantID, kind, lang)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

var _ store.MailTemplateRepo = (*mailTemplateRepo)(nil)
