package directory

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Scopes an admin credential can hold. ScopeAdmin implies all others.
const (
	ScopeAdmin = "admin"
)

// KnownScopes lists every grantable scope.
var KnownScopes = []string{
	ScopeAdmin,
	"tenants:read", "tenants:write",
	"users:read", "users:write",
	"clients:read", "clients:write",
	"api_keys:read", "api_keys:write",
	"keys:read", "keys:write",
	"events:read", "webhooks:read", "webhooks:write",
}

// Principal is an authenticated admin caller.
type Principal struct {
	KeyID  string // "" for the bootstrap admin token
	Name   string
	Scopes []string
	// TenantID restricts the caller to one tenant; "" means every tenant
	// (the bootstrap token and keys created in the default tenant).
	TenantID string
	// UserID is the signed-in user an admin console session acts for
	// (internal/console); audit entries name it as the actor. "" for API
	// keys and the bootstrap token.
	UserID string
}

// HasScope reports whether p holds scope (or admin).
func (p *Principal) HasScope(scope string) bool {
	return slices.Contains(p.Scopes, ScopeAdmin) || slices.Contains(p.Scopes, scope)
}

// CanAccessTenant reports whether p may act on tenant t.
func (p *Principal) CanAccessTenant(t *identity.Tenant) bool {
	return p.TenantID == "" || p.TenantID == t.ID
}

// ErrBadCredentials: the bearer token is unknown, revoked or expired.
var ErrBadCredentials = errors.New("invalid or expired credentials")

const (
	apiKeyPrefix     = "gh_"
	adminTokenPrefix = "gha_"
	settingAdminHash = "admin_token_hash"
)

// CreateAPIKey creates a key in the scope's tenant and returns the bearer
// token, which is shown once.
func (s *Service) CreateAPIKey(ctx context.Context, sc *tenancy.Tenant, name string, scopes []string, expiresAt *time.Time) (*identity.APIKey, string, error) {
	if err := identity.ValidateName(name, 200); err != nil {
		return nil, "", invalidField("/name", err.Error())
	}
	if len(scopes) == 0 {
		return nil, "", invalidField("/scopes", "at least one scope is required")
	}
	for i, sc := range scopes {
		if !slices.Contains(KnownScopes, sc) {
			return nil, "", invalidField("/scopes/"+strconv.Itoa(i), "unknown scope "+sc)
		}
	}
	if expiresAt != nil && !expiresAt.After(s.now()) {
		return nil, "", invalidField("/expires_at", "must be in the future")
	}
	sec := secret.Token(secretBytes)
	k := &identity.APIKey{
		ID:         secret.Token(12),
		TenantID:   sc.Tenant.ID,
		Name:       name,
		Scopes:     slices.Clone(scopes),
		SecretHash: s.Keyring.MAC(purposeAPIKey, []byte(sec)),
		ExpiresAt:  expiresAt,
		CreatedAt:  s.now(),
	}
	if err := s.Stores.Control().APIKeys().Create(ctx, k); err != nil {
		return nil, "", err
	}
	return k, apiKeyPrefix + k.ID + "_" + sec, nil
}

// Authenticator checks admin bearer tokens.
type Authenticator struct {
	svc *Service
	// adminMAC is the keyed hash of the bootstrap admin token, from config
	// or from the settings table; nil when none exists.
	adminMAC      []byte
	defaultTenant string

	mu      sync.Mutex
	touched map[string]time.Time // last-used writes, throttled per key
}

// Bootstrap prepares first start: it creates the default tenant and, when no
// admin token is configured and none was generated before, generates one.
// The generated token is returned (to be printed once) and only its keyed
// hash is stored.
func (s *Service) Bootstrap(ctx context.Context, configured string) (auth *Authenticator, generated string, err error) {
	def, err := s.EnsureDefaultTenant(ctx)
	if err != nil {
		return nil, "", err
	}
	a := &Authenticator{svc: s, defaultTenant: def.ID, touched: map[string]time.Time{}}
	if configured != "" {
		a.adminMAC = s.Keyring.MAC(purposeAdminToken, []byte(configured))
		return a, "", nil
	}
	settings := s.Stores.Control().Settings()
	stored, err := settings.Get(ctx, settingAdminHash)
	switch {
	case err == nil:
		a.adminMAC = stored
		return a, "", nil
	case !errors.Is(err, store.ErrNotFound):
		return nil, "", err
	}
	token := adminTokenPrefix + secret.Token(secretBytes)
	mac := s.Keyring.MAC(purposeAdminToken, []byte(token))
	ok, err := settings.SetIfAbsent(ctx, settingAdminHash, mac)
	if err != nil {
		return nil, "", err
	}
	if !ok { // another node generated one first; use theirs
		if a.adminMAC, err = settings.Get(ctx, settingAdminHash); err != nil {
			return nil, "", err
		}
		return a, "", nil
	}
	a.adminMAC = mac
	return a, token, nil
}

// Authenticate resolves a bearer token to a principal.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if id, sec, ok := parseAPIKey(token); ok {
		return a.apiKey(ctx, id, sec)
	}
	if a.adminMAC != nil && subtle.ConstantTimeCompare(a.svc.Keyring.MAC(purposeAdminToken, []byte(token)), a.adminMAC) == 1 {
		return &Principal{Name: "bootstrap admin token", Scopes: []string{ScopeAdmin}}, nil
	}
	return nil, ErrBadCredentials
}

func parseAPIKey(token string) (id, sec string, ok bool) {
	rest, ok := strings.CutPrefix(token, apiKeyPrefix)
	if !ok {
		return "", "", false
	}
	// IDs are base64url and may contain '_', secrets too; the ID has a fixed length.
	const idLen = 16 // secret.Token(12) → 16 base64url characters
	if len(rest) < idLen+2 || rest[idLen] != '_' {
		return "", "", false
	}
	return rest[:idLen], rest[idLen+1:], true
}

func (a *Authenticator) apiKey(ctx context.Context, id, sec string) (*Principal, error) {
	k, err := a.svc.Stores.Control().APIKeys().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	now := a.svc.now()
	if !a.svc.Keyring.Equal(purposeAPIKey, []byte(sec), k.SecretHash) || !k.Active(now) {
		return nil, ErrBadCredentials
	}
	a.touch(ctx, k.ID, now)
	p := &Principal{KeyID: k.ID, Name: k.Name, Scopes: k.Scopes, TenantID: k.TenantID}
	if k.TenantID == a.defaultTenant {
		p.TenantID = "" // keys of the default (operator) tenant span all tenants
	}
	return p, nil
}

// touch records last use at most once a minute per key, to keep writes off
// the hot path.
func (a *Authenticator) touch(ctx context.Context, id string, now time.Time) {
	a.mu.Lock()
	last, seen := a.touched[id]
	if seen && now.Sub(last) < time.Minute {
		a.mu.Unlock()
		return
	}
	a.touched[id] = now
	a.mu.Unlock()
	if err := a.svc.Stores.Control().APIKeys().Touch(ctx, id, now); err != nil {
		a.svc.Log.WarnContext(ctx, "api key touch failed", "key_id", id, "err", err)
	}
}
