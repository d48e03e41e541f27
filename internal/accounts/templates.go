package accounts

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// message renders kind for to with the tenant's template overrides
// (store.MailTemplate, set through the Admin API); see
// mail.Templates.TenantMessage.
func (s *Service) message(ctx context.Context, sc *tenancy.Tenant, to string, kind mail.Kind, lang string, d mail.Data) (*mail.Message, error) {
	return s.Templates.TenantMessage(ctx, s.log(), sc.Store.MailTemplates(), sc.Tenant.ID, to, kind, lang, d)
}
