package store

import (
	"context"
	"time"
)

// MailTemplate is a tenant's override of one mail kind in one language:
// each non-empty part replaces the built-in one (internal/mail,
// Template). Callers check the template before storing it.
type MailTemplate struct {
	TenantID  string
	Kind      string // a mail.Kind, e.g. "verify_email"
	Lang      string // "en" or "de"
	Subject   string
	Text      string
	HTML      string
	UpdatedAt time.Time // set by Put
}

// MailTemplateRepo holds tenants' mail template overrides, at most one per
// tenant, kind and language.
type MailTemplateRepo interface {
	// Get returns the override of kind in lang; ErrNotFound if none.
	Get(ctx context.Context, tenantID, kind, lang string) (*MailTemplate, error)
	// List returns every override of the tenant, by kind then language.
	List(ctx context.Context, tenantID string) ([]MailTemplate, error)
	// Put creates or replaces the override of m.Kind in m.Lang and sets
	// m.UpdatedAt. ErrNotFound if the tenant does not exist.
	Put(ctx context.Context, m *MailTemplate) error
	// Delete removes the override; ErrNotFound if there is none.
	Delete(ctx context.Context, tenantID, kind, lang string) error
}
