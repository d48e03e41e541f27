package tokens

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Tokens for an API (RFC 8707 resource indicators, issue 14): what a
// client or a user may get of an API. The protocol parses the request's
// resource and maps these errors to invalid_target and invalid_scope.

// ErrNotGranted: the client may not request tokens for the API.
var ErrNotGranted = errors.New("tokens: the client may not request tokens for this resource")

// UnknownScopeError: a requested scope the API does not define.
type UnknownScopeError struct{ Scope string }

func (e *UnknownScopeError) Error() string { return "tokens: the resource defines no scope " + e.Scope }

// APIAccess remembers briefly what a client may get of an API, so that a
// token for an API costs no database round trip. An admin change drops
// the tenant's entries on this node at once (the provider's APIsChanged)
// and on the others when PostgreSQL announces it (migration 00017,
// protocol/oidc/invalidate.go); the TTL is the backstop. Dropping a
// tenant bumps its generation, which is part of every key, so the old
// entries are never read again.
type APIAccess struct {
	c   *otter.Cache[string, *apiAccess]
	gen sync.Map // tenant ID -> *atomic.Uint64
}

type apiAccess struct {
	api     *store.API // nil: no such API
	granted []string
}

// NewAPIAccess returns a cache whose entries live ttl.
func NewAPIAccess(ttl time.Duration) *APIAccess {
	return &APIAccess{c: otter.Must(&otter.Options[string, *apiAccess]{
		MaximumSize:      100_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *apiAccess](ttl),
	})}
}

func (ac *APIAccess) generation(tenantID string) *atomic.Uint64 {
	if g, ok := ac.gen.Load(tenantID); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := ac.gen.LoadOrStore(tenantID, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

// Get returns the API with the identifier and the client's grant to it
// (nil if none); store.ErrNotFound if the tenant has no such API.
func (ac *APIAccess) Get(ctx context.Context, t *tenancy.Tenant, clientID, identifier string) (*store.API, []string, error) {
	g := ac.generation(t.ID)
	gen := g.Load()
	key := t.ID + "\x00" + strconv.FormatUint(gen, 10) + "\x00" + clientID + "\x00" + identifier
	if a, ok := ac.c.GetIfPresent(key); ok {
		if a.api == nil {
			return nil, nil, store.ErrNotFound
		}
		return a.api, a.granted, nil
	}
	api, granted, err := t.Store.APIs().ClientAccess(ctx, t.ID, clientID, identifier)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	if g.Load() == gen { // not changed while it was read
		ac.c.Set(key, &apiAccess{api: api, granted: granted})
	}
	return api, granted, err
}

// Invalidate drops what this node cached about the tenant's APIs and
// clients' grants.
func (ac *APIAccess) Invalidate(tenantID string) { ac.generation(tenantID).Add(1) }

// InvalidateAll drops every entry.
func (ac *APIAccess) InvalidateAll() { ac.c.InvalidateAll() }

// ClientGrant is the client-credentials grant for the API with the
// identifier resource: requested ∩ defined by the API ∩ granted to the
// client (all of granted ∩ defined when nothing is requested).
// store.ErrNotFound: no such API; ErrNotGranted; *UnknownScopeError.
func (ac *APIAccess) ClientGrant(ctx context.Context, t *tenancy.Tenant, clientID, resource string, requested []string) (*Grant, error) {
	api, granted, err := ac.Get(ctx, t, clientID, resource)
	if err != nil {
		return nil, err
	}
	if granted == nil {
		return nil, ErrNotGranted
	}
	for _, sc := range requested {
		if !api.HasScope(sc) {
			return nil, &UnknownScopeError{Scope: sc}
		}
	}
	scopes := []string{}
	for _, sc := range api.Scopes {
		if slices.Contains(granted, sc.Value) && (len(requested) == 0 || slices.Contains(requested, sc.Value)) {
			scopes = append(scopes, sc.Value)
		}
	}
	return APIGrant(api, scopes, scopes), nil
}

// APIGrant is a grant of scopes for api: its audience, lifetime and token
// format, and the permissions claim when the API asks for one.
func APIGrant(api *store.API, scopes, permissions []string) *Grant {
	g := &Grant{Scopes: scopes, Audience: []string{api.Identifier}, TokenFormat: api.TokenFormat,
		Lifetime: time.Duration(api.AccessTokenLifetime) * time.Second} // 0: the client's; the token service caps it
	if api.PermissionsInToken {
		g.Permissions = permissions
		if g.Permissions == nil {
			g.Permissions = []string{}
		}
	}
	return g
}

// ForUserAPI makes g, a user's grant, one for api: the access token's aud
// is the API, its scopes those of g.Scopes the API defines and, when the
// API enforces roles, the user's roles permit now. Its error is the
// store's.
func ForUserAPI(ctx context.Context, t *tenancy.Tenant, api *store.API, g *Grant) error {
	var permitted []string
	if api.RBAC {
		var err error
		if g.OrgID != "" { // the member's roles in the organization
			permitted, err = t.Store.Organizations().MemberPermissions(ctx, t.ID, g.OrgID, g.UserID, api.ID)
		} else {
			permitted, err = t.Store.Roles().Permissions(ctx, t.ID, g.UserID, api.ID)
		}
		if err != nil {
			return err
		}
	}
	scopes := []string{}
	for _, sc := range api.Scopes {
		if slices.Contains(g.Scopes, sc.Value) && (!api.RBAC || slices.Contains(permitted, sc.Value)) {
			scopes = append(scopes, sc.Value)
		}
	}
	ag := APIGrant(api, scopes, scopes)
	g.Resource, g.Audience, g.ATScopes = api.Identifier, ag.Audience, scopes
	g.Lifetime, g.TokenFormat, g.Permissions = ag.Lifetime, ag.TokenFormat, ag.Permissions
	return nil
}
