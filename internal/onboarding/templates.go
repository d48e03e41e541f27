package onboarding

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/admin"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// message renders kind for to with the tenant's template overrides
// (store.MailTemplate, set through the Admin API). Overrides are checked
// when stored; should one still fail to render, the built-in template is
// used and the failure logged, so the user gets the mail all the same.
func (s *Service) message(ctx context.Context, sc *admin.Scope, to string, kind mail.Kind, lang string, d mail.Data) (*mail.Message, error) {
	list, err := sc.Store.MailTemplates().List(ctx, sc.Tenant.ID)
	if err != nil {
		return nil, err
	}
	var o mail.Overrides
	for _, t := range list {
		if o == nil {
			o = mail.Overrides{}
		}
		o[t.Kind+"."+t.Lang] = mail.Template{Subject: t.Subject, Text: t.Text, HTML: t.HTML}
	}
	m, err := s.Templates.Message(to, kind, lang, o, d)
	if err != nil && o != nil {
		s.log().ErrorContext(ctx, "onboarding: tenant mail template failed, using the built-in one", "kind", kind, "lang", lang, "err", err)
		return s.Templates.Message(to, kind, lang, nil, d)
	}
	return m, err
}
