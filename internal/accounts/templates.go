package accounts

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// message renders kind for to with the tenant's template overrides
// (store.MailTemplate, set through the Admin API); see
// mail.Templates.TenantMessage.
func (s *Service) message(ctx context.Context, sc *directory.Scope, to string, kind mail.Kind, lang string, d mail.Data) (*mail.Message, error) {
	return s.Templates.TenantMessage(ctx, s.log(), sc.Store.MailTemplates(), sc.Tenant.ID, to, kind, lang, d)
}
