// Package directory holds tenants, users, clients and API keys. The Admin
// API (internal/adminapi), the account API and the CLI all call it, so
// validation, hashing and secrets are handled in exactly one place.
package directory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Service implements the management operations.
type Service struct {
	Stores  store.Resolver
	Hasher  *password.Hasher
	Keyring *secret.Keyring
	Now     func() time.Time
	Log     *slog.Logger
	// Issuer is the root issuer, under which Resolve places tenants.
	Issuer string
	// Policy is the password policy; nil means passpolicy.Default().
	Policy *passpolicy.Policy
	// Geo locates requests for tenants whose residency policy places
	// users by country; nil places them all in the policy's fallback.
	Geo *geoip.Reader
}

// Keyed-hash purposes. Changing one invalidates every stored hash of that kind.
const (
	purposeClientSecret = "client-secret"
	purposeAPIKey       = "api-key"
	purposeAdminToken   = "admin-token"
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Errors the transport maps to problems.
var (
	// ErrDefaultTenant: the default tenant cannot be deleted.
	ErrDefaultTenant = errors.New("the default tenant cannot be deleted")
)

// Resolve looks a tenant up by slug (or ID) and picks its store. The
// tenant's issuer and base path follow from its slug under Issuer.
func (s *Service) Resolve(ctx context.Context, tenant string) (*tenancy.Tenant, error) {
	if tenant == "" {
		tenant = identity.DefaultTenantSlug
	}
	ctl := s.Stores.Control()
	t, err := ctl.Tenants().GetBySlug(ctx, tenant)
	if errors.Is(err, store.ErrNotFound) {
		t, err = ctl.Tenants().Get(ctx, tenant)
	}
	if errors.Is(err, store.ErrInvalidInput) { // text no tenant can be named (NUL)
		return nil, fmt.Errorf("%w (%w)", store.ErrNotFound, err)
	}
	if err != nil {
		return nil, err
	}
	st, err := s.Stores.ForTenant(ctx, t)
	if err != nil {
		return nil, err
	}
	return tenancy.Of(t, st, s.Issuer), nil
}

// StoreForTenantID returns the store holding a tenant's data, by tenant ID.
func (s *Service) StoreForTenantID(ctx context.Context, id string) (store.Store, error) {
	t, err := s.Stores.Control().Tenants().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.Stores.ForTenant(ctx, t)
}
