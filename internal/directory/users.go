package directory

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// CheckPassword applies the password policy (NIST SP 800-63B: length,
// breached list, no identifiers) for the user it will belong to. Every
// violation becomes a field error on /password.
func (s *Service) CheckPassword(ctx context.Context, pw string, u *identity.User) error {
	policy := s.Policy
	if policy == nil {
		policy = passpolicy.Default()
	}
	pc := passpolicy.Context{Email: u.Email, Username: u.Username,
		Name: strings.TrimSpace(u.Profile.GivenName + " " + u.Profile.FamilyName)}
	vs := policy.Check(ctx, pw, pc)
	if len(vs) == 0 {
		return nil
	}
	ve := &identity.ValidationError{}
	for _, v := range vs {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/password", Message: string(v.Message)})
	}
	return ve
}

// prepareUser normalises and validates u against the tenant's schema.
func prepareUser(sc *tenancy.Tenant, u *identity.User) error {
	email, err := identity.NormalizeEmail(u.Email)
	if err != nil {
		return invalidField("/email", err.Error())
	}
	u.Email = email
	if u.Attributes == nil {
		u.Attributes = map[string]any{}
	}
	schema, err := identity.TenantAttributeSchema(sc.Tenant)
	if err != nil {
		return err
	}
	return identity.ValidateUser(u, schema)
}

// regions is a store with data residency (regional.Router).
type regions interface{ Has(name string) bool }

// hasRegion reports whether name is a region of this server.
func (s *Service) hasRegion(name string) bool {
	r, ok := s.Stores.Control().(regions)
	return ok && name != "" && r.Has(name)
}

// PlaceUser sets the region of a new user that has none by the tenant's
// residency policy: ip locates the request (GeoIP, by_country), chosen is
// the region the person picked ("" for none; a choice outside the
// tenant's list is a /region field error). Without regions on this server
// the policy is moot and nothing is set.
func (s *Service) PlaceUser(sc *tenancy.Tenant, u *identity.User, ip netip.Addr, chosen string) error {
	if _, ok := sc.Store.(regions); !ok {
		if chosen != "" {
			return invalidField("/region", "this server has no regions")
		}
		return nil
	}
	if u.Region != "" {
		return nil
	}
	var country string
	if loc, ok := s.Geo.Lookup(ip); ok {
		country = loc.Country
	}
	r, ok := sc.Tenant.Residency.Place(country, chosen)
	if !ok {
		return invalidField("/region", "not one of the regions this tenant offers")
	}
	u.Region = r
	return nil
}

// checkRegion refuses a region the server does not have: a typo must not
// put someone's data in the default region.
func checkRegion(sc *tenancy.Tenant, u *identity.User) error {
	if u.Region == "" {
		return nil
	}
	if r, ok := sc.Store.(regions); !ok || !r.Has(u.Region) {
		return invalidField("/region", "not a region of this server (GATEHOUSE_REGIONS)")
	}
	return nil
}

// CreateUser validates u, hashes the optional password and stores both in
// one transaction, so a failure leaves no half-created user.
func (s *Service) CreateUser(ctx context.Context, sc *tenancy.Tenant, u *identity.User, pw *string) error {
	return s.CreateUserThen(ctx, sc, u, pw, nil)
}

// CreateUserThen is CreateUser that also runs then, if not nil, in the
// transaction that creates the user (u.ID is set by then): an error of
// then creates nothing. then may run more than once (the store retries
// serialization failures), so it must only write through tx.
func (s *Service) CreateUserThen(ctx context.Context, sc *tenancy.Tenant, u *identity.User, pw *string, then func(tx store.Store) error) error {
	if err := prepareUser(sc, u); err != nil {
		return err
	}
	// Without an explicit region (the Admin API's, or the caller's
	// PlaceUser) the tenant's policy places the user as for a request
	// of unknown country.
	if err := s.PlaceUser(sc, u, netip.Addr{}, ""); err != nil {
		return err
	}
	if err := checkRegion(sc, u); err != nil {
		return err
	}
	var hash string
	if pw != nil {
		if err := s.CheckPassword(ctx, *pw, u); err != nil {
			return err
		}
		var err error
		if hash, err = s.Hasher.HashContext(ctx, *pw); err != nil {
			return err
		}
	}
	return sc.Store.InTx(ctx, func(tx store.Store) error {
		if err := tx.Users().Create(ctx, sc.Tenant.ID, u); err != nil {
			return err
		}
		if hash != "" {
			if err := tx.Passwords().Set(ctx, sc.Tenant.ID, u.ID, hash); err != nil {
				return err
			}
		}
		if then != nil {
			return then(tx)
		}
		return nil
	})
}

// UpdateUser applies fn and re-validates the user.
func (s *Service) UpdateUser(ctx context.Context, sc *tenancy.Tenant, id string, ifVersion int64, fn func(*identity.User) error) (*identity.User, error) {
	return sc.Store.Users().Update(ctx, sc.Tenant.ID, id, ifVersion, func(u *identity.User) error {
		if err := fn(u); err != nil {
			return err
		}
		return prepareUser(sc, u)
	})
}

// SetPassword replaces the user's password.
func (s *Service) SetPassword(ctx context.Context, sc *tenancy.Tenant, id, pw string) error {
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return err
	}
	if err := s.CheckPassword(ctx, pw, u); err != nil {
		return err
	}
	hash, err := s.Hasher.HashContext(ctx, pw)
	if err != nil {
		return err
	}
	return sc.Store.Passwords().Set(ctx, sc.Tenant.ID, id, hash)
}

// HasPassword reports whether the user has a password credential.
func (s *Service) HasPassword(ctx context.Context, sc *tenancy.Tenant, id string) (bool, error) {
	_, err := sc.Store.Passwords().Get(ctx, sc.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// VerifyPassword checks a user's password, upgrading the stored hash when
// the configured cost changed. Unknown users cost the same time as known ones.
func (s *Service) VerifyPassword(ctx context.Context, sc *tenancy.Tenant, userID, pw string) (bool, error) {
	cred, err := sc.Store.Passwords().Get(ctx, sc.Tenant.ID, userID)
	if errors.Is(err, store.ErrNotFound) {
		s.Hasher.DummyVerifyContext(ctx, pw)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ok, rehash, err := s.Hasher.VerifyContext(ctx, pw, cred.Hash)
	if err != nil || !ok {
		return false, err
	}
	if rehash {
		if h, err := s.Hasher.HashContext(ctx, pw); err == nil {
			if err := sc.Store.Passwords().Set(ctx, sc.Tenant.ID, userID, h); err != nil {
				s.Log.WarnContext(ctx, "password rehash failed", "user_id", userID, "err", err)
			}
		}
	}
	return true, nil
}

// mover is a store with data residency that can move users (regional.Router).
type mover interface {
	regions
	Move(ctx context.Context, tenantID, userID, to string) (*identity.User, error)
}

// CheckMove refuses a move that cannot happen, before anything changes:
// no regions, a region not configured, the user's own region.
func (s *Service) CheckMove(sc *tenancy.Tenant, u *identity.User, to string) error {
	m, ok := sc.Store.(mover)
	switch {
	case !ok:
		return invalidField("/region", "this server has no regions (GATEHOUSE_REGIONS)")
	case !m.Has(to):
		return invalidField("/region", "not a region of this server (GATEHOUSE_REGIONS)")
	case u.Region == to:
		return regional.ErrSameRegion
	}
	return nil
}

// MoveUser moves the user's personal data to the region named to. The
// caller checks the move (CheckMove) and revokes the user's tokens first.
func (s *Service) MoveUser(ctx context.Context, sc *tenancy.Tenant, id, to string) (*identity.User, error) {
	m, ok := sc.Store.(mover)
	if !ok {
		return nil, invalidField("/region", "this server has no regions (GATEHOUSE_REGIONS)")
	}
	return m.Move(ctx, sc.Tenant.ID, id, to)
}
