package oidc

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"

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

// defaultResource is the tenant's default API for a request that names
// no resource: its identifier when one of the requested scopes is a scope
// it defines, "" otherwise. A request for OpenID scopes alone (a sign-in
// that wants identity, and userinfo) is left as it was. A default API
// that no longer exists is no default.
func (p *Provider) defaultResource(ctx context.Context, t *tenancy.Tenant, scopes []string) (string, error) {
	if t.DefaultAPI == "" || len(scopes) == 0 {
		return "", nil
	}
	api, _, err := p.apis.Get(ctx, t, "", t.DefaultAPI)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, sc := range scopes {
		if api.HasScope(sc) {
			return api.Identifier, nil
		}
	}
	return "", nil
}

// resourceGrant is the client-credentials grant for the API with the
// identifier resource (tokens.APIAccess.ClientGrant), its refusals
// mapped to OAuth errors.
func (p *Provider) resourceGrant(ctx context.Context, t *tenancy.Tenant, c *client, resource string, requested []string) (*tokens.Grant, error) {
	g, err := p.apis.ClientGrant(ctx, t, c.c.ID, resource, requested)
	var us *tokens.UnknownScopeError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, invalidTarget("unknown resource")
	case errors.Is(err, tokens.ErrNotGranted):
		return nil, invalidTarget("the client may not request tokens for this resource")
	case errors.As(err, &us):
		return nil, oidc.ErrInvalidScope().WithDescription("the resource defines no scope %q", us.Scope)
	case err != nil:
		return nil, p.serverError(ctx, t, c.c.ID, "resource lookup", err)
	}
	return g, nil
}

// APIsChanged drops what this node cached about the tenant's APIs and
// clients' grants; the Admin API calls it after every change to them.
func (p *Provider) APIsChanged(tenantID string) {
	p.apis.Invalidate(tenantID)
	p.rar.invalidate(tenantID) // rar.go
}

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
	ctx, rest, err := p.requestResource(ctx, form, d.ClientID, d.Scopes)
	if err != nil || rest == nil {
		return ctx, d, err
	}
	cp := *d
	cp.Scopes = *rest
	return ctx, &cp, nil
}

// requestResource checks the resource a user's request (authorize, PAR,
// device authorization) names: unknown is invalid_target. It returns the
// context that carries it to the stored request and, when there is one,
// the request's scopes without those the API defines (which the client
// need not have registered); rest is nil without a resource.
func (p *Provider) requestResource(ctx context.Context, form url.Values, clientID string, scopes []string) (context.Context, *[]string, error) {
	res, err := resourceParam(form)
	if err != nil {
		return ctx, nil, err
	}
	t := tenancy.From(ctx)
	if t == nil {
		return nil, nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	if res == "" {
		if res, err = p.defaultResource(ctx, t, scopes); err != nil {
			return nil, nil, p.serverError(ctx, t, clientID, "authorize: default API lookup", err)
		}
		if res == "" {
			return ctx, nil, nil
		}
	}
	api, err := t.Store.APIs().GetByIdentifier(ctx, t.ID, res)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, invalidTarget("unknown resource")
	}
	if err != nil {
		return nil, nil, p.serverError(ctx, t, clientID, "authorize: resource lookup", err)
	}
	rest := []string{}
	for _, sc := range scopes {
		if !api.HasScope(sc) {
			rest = append(rest, sc)
		}
	}
	return context.WithValue(ctx, resourceKey{}, res), &rest, nil
}

// userResourceGrant makes g, a user's grant, one for the API resource
// ("" for none; tokens.ForUserAPI computes the scopes). A token request may repeat the resource, not name
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
	if err := tokens.ForUserAPI(ctx, t, api, g); err != nil {
		return p.serverError(ctx, t, c.c.ID, "user permissions", err)
	}
	return nil
}

// refreshResource makes a refresh's grant one for the API its token was
// issued for: the token's audience, when it is not the client's own
// audience. The scopes are recomputed from the user's roles now, within
// the token's: a refresh may narrow them, never widen them. A token whose
// API was deleted is refused (invalid_grant), not turned into a token
// for the client.
func (p *Provider) refreshResource(ctx context.Context, t *tenancy.Tenant, c *client, rt *oauth.RefreshToken, form url.Values, g *tokens.Grant) error {
	res := ""
	if len(rt.Audience) == 1 && rt.Audience[0] != c.c.ID && !slices.Equal(rt.Audience, tokens.Audience(c.minting())) {
		_, err := t.Store.APIs().GetByIdentifier(ctx, t.ID, rt.Audience[0])
		switch {
		case err == nil:
			res = rt.Audience[0]
		case errors.Is(err, store.ErrNotFound):
			return oidc.ErrInvalidGrant().WithDescription("the API the refresh token was issued for no longer exists")
		default:
			return p.serverError(ctx, t, c.c.ID, "refresh: resource lookup", err)
		}
	}
	return p.userResourceGrant(ctx, t, c, res, form, g)
}
