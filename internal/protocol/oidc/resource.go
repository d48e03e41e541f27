package oidc

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Tokens for an API (RFC 8707 resource indicators, issue 14): a request
// names the API by its identifier in `resource` (or `audience`, as many
// SDKs send it); the access token's aud is that identifier and its scope
// what the API defines, the client was granted and the request asked for.

// invalidTarget is RFC 8707's error for a resource that is unknown, or
// that the client may not ask for.
func invalidTarget(desc string) *oidc.Error {
	e := oidc.ErrInvalidRequest().WithDescription("%s", desc)
	e.ErrorType = "invalid_target"
	return e
}

// resourceParam returns the one resource a token request names, "" when
// it names none. Several different ones are refused: a token has one
// audience here.
func resourceParam(form url.Values) (string, error) {
	var res string
	for _, v := range append(form["resource"], form["audience"]...) {
		switch {
		case v == "" || v == res:
		case res == "":
			res = v
		default:
			return "", invalidTarget("one resource (or audience) per token request")
		}
	}
	return res, nil
}

// resourceGrant is the client-credentials grant for the API with the
// identifier resource: requested ∩ defined by the API ∩ granted to the
// client (all of granted ∩ defined when nothing is requested).
func (p *Provider) resourceGrant(ctx context.Context, t *tenancy.Tenant, c *client, resource string, requested []string) (*tokens.Grant, error) {
	api, granted, err := p.apis.get(ctx, t, c.c.ID, resource)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidTarget("unknown resource")
	}
	if err != nil {
		return nil, p.serverError(ctx, t, c.c.ID, "resource lookup", err)
	}
	if granted == nil {
		return nil, invalidTarget("the client may not request tokens for this resource")
	}
	for _, sc := range requested {
		if !api.HasScope(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("the resource defines no scope %q", sc)
		}
	}
	scopes := []string{}
	for _, sc := range api.Scopes {
		if slices.Contains(granted, sc.Value) && (len(requested) == 0 || slices.Contains(requested, sc.Value)) {
			scopes = append(scopes, sc.Value)
		}
	}
	return apiGrant(c, api, scopes, scopes), nil
}

// apiGrant is a grant of scopes for api: its audience, lifetime and token
// format, and the permissions claim when the API asks for one.
func apiGrant(c *client, api *store.API, scopes, permissions []string) *tokens.Grant {
	g := &tokens.Grant{Scopes: scopes, Audience: []string{api.Identifier}, TokenFormat: api.TokenFormat,
		Lifetime: time.Duration(api.AccessTokenLifetime) * time.Second} // 0: the client's; the token service caps it
	if api.PermissionsInToken {
		g.Permissions = permissions
		if g.Permissions == nil {
			g.Permissions = []string{}
		}
	}
	return g
}

// issueForResource answers a client-credentials request for an API.
func (p *Provider) issueForResource(ctx context.Context, t *tenancy.Tenant, c *client, resource string, scopes []string) (*op.Response, error) {
	g, err := p.resourceGrant(ctx, t, c, resource, scopes)
	if err != nil {
		return nil, err
	}
	resp, err := p.issue(ctx, t, c, g)
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

// apiCache remembers briefly what a client may get of an API, so that a
// token for an API costs no database round trip. An admin change drops
// the tenant's entries on this node at once (APIsChanged) and on the
// others when PostgreSQL announces it (migration 00017, invalidate.go);
// the TTL is the backstop. Dropping a tenant bumps its generation, which
// is part of every key, so the old entries are never read again.
type apiCache struct {
	c   *otter.Cache[string, *apiAccess]
	gen sync.Map // tenant ID -> *atomic.Uint64
}

type apiAccess struct {
	api     *store.API // nil: no such API
	granted []string
}

func newAPICache(ttl time.Duration) *apiCache {
	return &apiCache{c: otter.Must(&otter.Options[string, *apiAccess]{
		MaximumSize:      100_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *apiAccess](ttl),
	})}
}

func (ac *apiCache) generation(tenantID string) *atomic.Uint64 {
	if g, ok := ac.gen.Load(tenantID); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := ac.gen.LoadOrStore(tenantID, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

// get returns the API with the identifier and the client's grant to it
// (nil if none); store.ErrNotFound if the tenant has no such API.
func (ac *apiCache) get(ctx context.Context, t *tenancy.Tenant, clientID, identifier string) (*store.API, []string, error) {
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

func (ac *apiCache) invalidate(tenantID string) { ac.generation(tenantID).Add(1) }

// APIsChanged drops what this node cached about the tenant's APIs and
// clients' grants; the Admin API calls it after every change to them.
func (p *Provider) APIsChanged(tenantID string) { p.apis.invalidate(tenantID) }

// Users' tokens for an API: /authorize takes `resource` (stored on the
// authorization request), the code exchange issues the access token for
// it, and its refresh tokens keep it.

type resourceKey struct{}

// resourceFrom is the resource authorizeResource left in the context, for
// CreateAuthRequest.
func resourceFrom(ctx context.Context) string {
	s, _ := ctx.Value(resourceKey{}).(string)
	return s
}

// authorizeResource checks the resource an authorization request names
// (unknown: invalid_target) and returns the context that carries it to
// the stored request, and the request as the client's scope policy sees
// it: without the scopes the API defines, which the client need not have
// registered.
func (p *Provider) authorizeResource(ctx context.Context, form url.Values, d *oidc.AuthRequest) (context.Context, *oidc.AuthRequest, error) {
	res, err := resourceParam(form)
	if err != nil || res == "" {
		return ctx, d, err
	}
	t := tenancy.From(ctx)
	if t == nil {
		return nil, nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	api, err := t.Store.APIs().GetByIdentifier(ctx, t.ID, res)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, invalidTarget("unknown resource")
	}
	if err != nil {
		return nil, nil, p.serverError(ctx, t, d.ClientID, "authorize: resource lookup", err)
	}
	cp := *d
	cp.Scopes = nil
	for _, sc := range d.Scopes {
		if !api.HasScope(sc) {
			cp.Scopes = append(cp.Scopes, sc)
		}
	}
	return context.WithValue(ctx, resourceKey{}, res), &cp, nil
}

// userResourceGrant makes g, a user's grant, one for the API resource
// ("" for none): the access token's aud is the API, its scopes those of
// g.Scopes the API defines and, when the API enforces roles, the user's
// roles permit now. A token request may repeat the resource, not name
// another (invalid_target).
func (p *Provider) userResourceGrant(ctx context.Context, t *tenancy.Tenant, c *client, resource string, form url.Values, g *tokens.Grant) error {
	asked, err := resourceParam(form)
	if err != nil {
		return err
	}
	if asked != "" && asked != resource {
		return invalidTarget("the resource is not the one the authorization was for")
	}
	if resource == "" {
		return nil
	}
	api, err := t.Store.APIs().GetByIdentifier(ctx, t.ID, resource)
	if errors.Is(err, store.ErrNotFound) {
		return invalidTarget("the resource no longer exists")
	}
	if err != nil {
		return p.serverError(ctx, t, c.c.ID, "resource lookup", err)
	}
	var permitted []string
	if api.RBAC {
		if permitted, err = t.Store.Roles().Permissions(ctx, t.ID, g.UserID, api.ID); err != nil {
			return p.serverError(ctx, t, c.c.ID, "user permissions", err)
		}
	}
	scopes := []string{}
	for _, sc := range api.Scopes {
		if slices.Contains(g.Scopes, sc.Value) && (!api.RBAC || slices.Contains(permitted, sc.Value)) {
			scopes = append(scopes, sc.Value)
		}
	}
	ag := apiGrant(c, api, scopes, scopes)
	g.Resource, g.Audience, g.ATScopes = api.Identifier, ag.Audience, scopes
	g.Lifetime, g.TokenFormat, g.Permissions = ag.Lifetime, ag.TokenFormat, ag.Permissions
	return nil
}

// refreshResource makes a refresh's grant one for the API its token was
// issued for: the token's audience, when it is an API of the tenant and
// not the client's own audience. The scopes are recomputed from the
// user's roles now, within the token's: a refresh may narrow them, never
// widen them.
func (p *Provider) refreshResource(ctx context.Context, t *tenancy.Tenant, c *client, rt *oauth.RefreshToken, form url.Values, g *tokens.Grant) error {
	res := ""
	if len(rt.Audience) == 1 && !slices.Equal(rt.Audience, tokens.Audience(c.minting())) {
		_, err := t.Store.APIs().GetByIdentifier(ctx, t.ID, rt.Audience[0])
		switch {
		case err == nil:
			res = rt.Audience[0]
		case !errors.Is(err, store.ErrNotFound):
			return p.serverError(ctx, t, c.c.ID, "refresh: resource lookup", err)
		}
	}
	return p.userResourceGrant(ctx, t, c, res, form, g)
}
