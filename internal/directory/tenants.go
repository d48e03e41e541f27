package directory

import (
	"context"
	"errors"
	"regexp"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var regionRe = regexp.MustCompile(`^[a-z0-9-]{0,32}$`)

func (s *Service) validateTenant(t *identity.Tenant) error {
	if err := identity.ValidateSlug(t.Slug); err != nil {
		return invalidField("/slug", err.Error())
	}
	if err := identity.ValidateTenantText(t.DisplayName); err != nil {
		return invalidField("/display_name", err.Error())
	}
	if err := identity.ValidateBranding(&t.Branding); err != nil {
		return err
	}
	if err := identity.ValidateOnboarding(&t.Onboarding); err != nil {
		return err
	}
	if err := identity.ValidateMFAPolicy(&t.MFA); err != nil {
		return err
	}
	if err := identity.ValidateDCRPolicy(&t.DCR); err != nil {
		return err
	}
	if err := identity.ValidateResidency(&t.Residency, s.hasRegion); err != nil {
		return err
	}
	if !regionRe.MatchString(t.Region) {
		return invalidField("/region", "must be lowercase letters, digits and dashes, at most 32")
	}
	if len(t.AttributeSchema) > 0 && string(t.AttributeSchema) != "null" {
		if _, err := identity.CompileAttributeSchema(t.AttributeSchema); err != nil {
			return invalidField("/attribute_schema", err.Error())
		}
	} else {
		t.AttributeSchema = nil
	}
	return nil
}

func invalidField(field, msg string) error {
	return &identity.ValidationError{Errors: []identity.FieldError{{Field: field, Message: msg}}}
}

// CreateTenant validates and stores a new tenant.
func (s *Service) CreateTenant(ctx context.Context, t *identity.Tenant) error {
	if err := s.validateTenant(t); err != nil {
		return err
	}
	return s.Stores.Control().Tenants().Create(ctx, t)
}

// ListTenants returns one page of tenants.
func (s *Service) ListTenants(ctx context.Context, p store.Page) ([]identity.Tenant, string, error) {
	return s.Stores.Control().Tenants().List(ctx, p)
}

// UpdateTenant applies fn to the tenant and validates the result.
func (s *Service) UpdateTenant(ctx context.Context, tenant string, ifVersion int64, fn func(*identity.Tenant) error) (*identity.Tenant, error) {
	sc, err := s.Resolve(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return s.Stores.Control().Tenants().Update(ctx, sc.Tenant.ID, ifVersion, func(t *identity.Tenant) error {
		if err := fn(t); err != nil {
			return err
		}
		return s.validateTenant(t)
	})
}

// DeleteTenant removes a tenant and all it owns; the default tenant stays.
func (s *Service) DeleteTenant(ctx context.Context, tenant string) error {
	sc, err := s.Resolve(ctx, tenant)
	if err != nil {
		return err
	}
	if sc.Tenant.Slug == identity.DefaultTenantSlug {
		return ErrDefaultTenant
	}
	return s.Stores.Control().Tenants().Delete(ctx, sc.Tenant.ID)
}

// EnsureDefaultTenant creates the default tenant on first start.
func (s *Service) EnsureDefaultTenant(ctx context.Context) (*identity.Tenant, error) {
	ctl := s.Stores.Control()
	t, err := ctl.Tenants().GetBySlug(ctx, identity.DefaultTenantSlug)
	if err == nil {
		return t, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	t = &identity.Tenant{Slug: identity.DefaultTenantSlug, DisplayName: "Default"}
	err = ctl.Tenants().Create(ctx, t)
	if errors.Is(err, store.ErrConflict) { // another node won the race
		return ctl.Tenants().GetBySlug(ctx, identity.DefaultTenantSlug)
	}
	return t, err
}
