package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Tenants' mail template overrides (tag tenants). A template is parsed and
// rendered with sample data, part by part, before it is stored, so a
// broken one is refused here rather than when a user waits for a code.

func mailTemplateJSON(m *store.MailTemplate) gen.MailTemplate {
	return gen.MailTemplate{Kind: gen.MailKind(m.Kind), Lang: gen.MailTemplateLang(m.Lang),
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, UpdatedAt: m.UpdatedAt}
}

func (a *MailTemplates) GetTenantMailTemplate(ctx context.Context, r gen.GetTenantMailTemplateRequestObject) (gen.GetTenantMailTemplateResponseObject, error) {
	sc := tenancy.From(ctx)
	m, err := sc.Store.MailTemplates().Get(ctx, sc.Tenant.ID, string(r.Kind), string(r.Lang))
	if err != nil {
		return nil, err
	}
	return gen.GetTenantMailTemplate200JSONResponse(mailTemplateJSON(m)), nil
}

func (a *MailTemplates) PutTenantMailTemplate(ctx context.Context, r gen.PutTenantMailTemplateRequestObject) (gen.PutTenantMailTemplateResponseObject, error) {
	sc := tenancy.From(ctx)
	m := &store.MailTemplate{TenantID: sc.Tenant.ID, Kind: string(r.Kind), Lang: string(r.Lang)}
	if in := r.Body; in != nil {
		m.Subject, m.Text, m.HTML = deref(in.Subject), deref(in.Text), deref(in.HTML)
	}
	if err := a.checkMailTemplate(m); err != nil {
		return nil, err
	}
	if err := sc.Store.MailTemplates().Put(ctx, m); err != nil {
		return nil, err
	}
	return gen.PutTenantMailTemplate200JSONResponse(mailTemplateJSON(m)), nil
}

func (a *MailTemplates) DeleteTenantMailTemplate(ctx context.Context, r gen.DeleteTenantMailTemplateRequestObject) (gen.DeleteTenantMailTemplateResponseObject, error) {
	sc := tenancy.From(ctx)
	if err := sc.Store.MailTemplates().Delete(ctx, sc.Tenant.ID, string(r.Kind), string(r.Lang)); err != nil {
		return nil, err
	}
	return gen.DeleteTenantMailTemplate204Response{}, nil
}

// checkMailTemplate checks each part on its own, so the error names it.
func (a *MailTemplates) checkMailTemplate(m *store.MailTemplate) error {
	if m.Subject == "" && m.Text == "" && m.HTML == "" {
		return httpx.Validation("Give at least one of subject, text and html.")
	}
	var fields []httpx.FieldError
	for _, p := range []struct {
		field string
		t     mail.Template
	}{{"/subject", mail.Template{Subject: m.Subject}}, {"/text", mail.Template{Text: m.Text}}, {"/html", mail.Template{HTML: m.HTML}}} {
		if p.t == (mail.Template{}) {
			continue
		}
		if err := a.mailTemplates.CheckOverride(mail.Kind(m.Kind), m.Lang, p.t); err != nil {
			fields = append(fields, httpx.FieldError{Field: p.field, Message: err.Error()})
		}
	}
	if len(fields) > 0 {
		return httpx.Validation("The template does not parse or render.", fields...)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
